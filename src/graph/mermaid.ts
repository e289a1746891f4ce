/**
 * A Mermaid `flowchart TD` of one playbook, for reviews in git hosts (which render Mermaid).
 * Stages are subgraphs, every other step is one node named after its IR id; escalation
 * rungs hang off their wait on dashed edges, `on timeout` blocks rejoin the flow after the
 * wait, if branches leave a decision node with their conditions, repeat bodies loop back;
 * goals hang off the start as notes (they measure the run, they are not steps of it).
 * The output depends only on the IR, so the same playbook always gives the same text.
 */
import type { IrProgram, PlaybookIr, StepIr } from '../ir/types.js';
import { describeDuration, describeExpr, describeGoal, describeStep } from '../ir/describe.js';

/** Control leaving a node on an edge not yet drawn (it goes to whatever comes next). */
interface Exit {
  from: string;
  label?: string;
  dashed?: boolean;
}

const START = 'start';
const FINISH = 'finish';

export function playbookToMermaid(program: IrProgram, playbookId: string = program.entry, options: { currentStage?: string | null } = {}): string {
  const playbook = program.playbooks[playbookId];
  if (!playbook) throw new Error(`no playbook "${playbookId}" in the program`);
  const text = new FlowchartWriter().write(playbook);
  const stage = options.currentStage == null ? undefined : findStage(playbook.body, options.currentStage);
  // The console marks where a run is; its stylesheet gives the `current` class its look.
  return stage === undefined ? text : `${text}  class ${nodeId(stage.id)} current\n`;
}

function findStage(steps: StepIr[], stage: string): StepIr | undefined {
  for (const step of steps) {
    if (step.kind === 'stage' && step.stage === stage) return step;
    for (const body of bodiesOf(step)) {
      const found = findStage(body, stage);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function bodiesOf(step: StepIr): StepIr[][] {
  switch (step.kind) {
    case 'stage':
    case 'repeat':
      return [step.body];
    case 'waitFor':
      return [...step.rungs.map((r) => r.body), ...(step.onTimeout ? [step.onTimeout] : [])];
    case 'if':
      return [...step.branches.map((b) => b.body), ...(step.else ? [step.else] : [])];
    default:
      return [];
  }
}

class FlowchartWriter {
  private readonly declarations: string[] = [];
  private readonly edges: string[] = [];
  private depth = 1;

  write(playbook: PlaybookIr): string {
    this.node(START, 'stadium', playbook.title ? `${playbook.id}: ${playbook.title}` : playbook.id);
    (playbook.goals ?? []).forEach((goal, i) => {
      this.node(`goal${i}`, 'note', `goal ${describeGoal(goal)}`);
      this.edges.push(`  ${START} -.- goal${i}`);
    });
    const exits = this.block(playbook.body, [{ from: START }]);
    if (exits.length > 0) {
      this.node(FINISH, 'stadium', 'end');
      this.connect(exits, FINISH);
    }
    return ['flowchart TD', ...this.declarations, ...this.edges].join('\n') + '\n';
  }

  private block(steps: StepIr[], incoming: Exit[]): Exit[] {
    return steps.reduce((exits, step) => this.step(step, exits), incoming);
  }

  private step(step: StepIr, incoming: Exit[]): Exit[] {
    const id = nodeId(step.id);
    switch (step.kind) {
      case 'stage': {
        this.line(`subgraph ${id}[${quote(describeStep(step))}]`);
        this.depth++;
        const exits = this.block(step.body, incoming);
        this.depth--;
        this.line('end');
        return exits;
      }
      case 'waitFor': {
        this.enter(step, 'hexagon', incoming);
        step.rungs.forEach((rung) => this.block(rung.body, [{ from: id, label: `after ${describeDuration(rung.after)}`, dashed: true }]));
        const timeoutExits = step.onTimeout ? this.block(step.onTimeout, [{ from: id, label: 'on timeout' }]) : [];
        return [{ from: id }, ...timeoutExits];
      }
      case 'if': {
        this.enter(step, 'decision', incoming);
        const branchExits = step.branches.flatMap((b) => this.block(b.body, [{ from: id, label: describeExpr(b.condition) }]));
        const elseEntry: Exit = { from: id, label: 'else' };
        return [...branchExits, ...(step.else ? this.block(step.else, [elseEntry]) : [elseEntry])];
      }
      case 'repeat': {
        this.enter(step, 'hexagon', incoming);
        this.connect(this.block(step.body, [{ from: id }]), id, 'next round');
        // Without a limit the loop only ends by `stop` or `exit when`: nothing follows it.
        return step.atMost === null && step.until === null ? [] : [{ from: id, label: 'done' }];
      }
      case 'stop':
        this.enter(step, 'stadium', incoming);
        return [];
      case 'runPlaybook':
        this.enter(step, 'subroutine', incoming);
        return [{ from: id }];
      default:
        this.enter(step, 'box', incoming);
        return [{ from: id }];
    }
  }

  /** Draws the step's node and the edges into it. */
  private enter(step: StepIr, shape: Shape, incoming: Exit[]): void {
    this.node(nodeId(step.id), shape, describeStep(step));
    this.connect(incoming, nodeId(step.id));
  }

  private node(id: string, shape: Shape, label: string): void {
    const [open, close] = SHAPES[shape];
    this.line(`${id}${open}${quote(label)}${close}`);
  }

  private connect(exits: Exit[], to: string, label?: string): void {
    for (const exit of exits) {
      const text = exit.label ?? label;
      const arrow = exit.dashed ? '-.->' : '-->';
      this.edges.push(`  ${exit.from} ${arrow}${text === undefined ? '' : `|${quote(text)}|`} ${to}`);
    }
  }

  private line(text: string): void {
    this.declarations.push(`${'  '.repeat(this.depth)}${text}`);
  }
}

type Shape = 'box' | 'stadium' | 'hexagon' | 'decision' | 'subroutine' | 'note';

const SHAPES: Record<Shape, [string, string]> = {
  box: ['[', ']'],
  stadium: ['([', '])'],
  hexagon: ['{{', '}}'],
  decision: ['{', '}'],
  subroutine: ['[[', ']]'],
  note: ['[/', '/]'],
};

/** IR ids (`2.r0.1`) as Mermaid node ids (`n2_r0_1`). */
function nodeId(irId: string): string {
  return `n${irId.replaceAll('.', '_')}`;
}

/**
 * A double-quoted Mermaid label. Characters Mermaid would read as syntax (quotes, brackets,
 * braces, parentheses, pipes, `#`) or as HTML (`<`, `>`, `&`) become entity codes.
 */
function quote(label: string): string {
  return `"${label.replace(/[#"<>&|[\]{}()]/g, (c) => `#${c.charCodeAt(0)};`)}"`;
}
