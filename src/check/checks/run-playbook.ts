/**
 * `run playbook <id> [with <param>: <expr>, …]`: the target exists, playbooks do not run each
 * other in a cycle, and the `with` list gives each parameter the target declares, once, with a
 * value of its type. A playbook with parameters has no trigger: nothing else could give them.
 */
import { didYouMean } from '../../diagnostics/suggest.js';
import type { ParameterDecl, PlaybookDecl, RunPlaybookStep, Step } from '../../language/ast.js';
import type { Accept, CheckContext, CheckRegistry } from '../registry.js';
import { declaredParameters } from '../scope.js';
import type { Symbols } from '../symbols.js';
import { assignable, describeType } from '../value-type.js';
import { childBlocks } from '../walk-steps.js';

/** Per check run: caches each playbook's `run playbook` targets. */
export function runPlaybookChecks(): CheckRegistry {
  const targetsOf = new Map<PlaybookDecl, string[]>();
  const targets = (decl: PlaybookDecl): string[] => {
    let ids = targetsOf.get(decl);
    if (!ids) {
      ids = runTargets(decl.body);
      targetsOf.set(decl, ids);
    }
    return ids;
  };
  return {
    step: [
      (node, accept, ctx) => {
        if (node.kind !== 'runPlaybook' || !ctx.playbook) return;
        const id = node.playbook.name;
        if (!ctx.symbols.playbooks.has(id)) {
          accept('PB2012', node.playbook.span, `unknown playbook \`${id}\``, {
            hint: didYouMean(id, ctx.symbols.playbooks.keys()) ?? 'define it with `playbook <id>` in a file of this workspace',
          });
          return;
        }
        const self = ctx.playbook.id.name;
        const path = pathBetween(id, self, ctx.symbols, targets);
        if (path) {
          accept('PB2013', node.playbook.span, `\`run playbook ${id}\` makes a cycle: ${[self, ...path].join(' → ')}`, {
            hint: 'a playbook cannot run itself, directly or through the playbooks it runs',
          });
        }
        checkArguments(node, ctx.symbols.playbooks.get(id)!.decl, accept, ctx);
      },
    ],
    playbook: [
      (node, accept, ctx) => {
        const parameters = node.header.find((item) => item.kind === 'parameters');
        if (!parameters) return;
        for (const decl of parameters.kind === 'parameters' ? parameters.parameters : []) checkDefault(decl, accept, ctx);
        for (const item of node.header) {
          if (item.kind !== 'trigger') continue;
          accept('PB2166', item.span, `playbook \`${node.id.name}\` has parameters, so no trigger can start it`, {
            hint: 'start it from another playbook with `run playbook <id> with <param>: <value>, …`, or drop its `parameters`',
            related: [{ message: 'parameters declared here', span: parameters.span }],
          });
        }
      },
    ],
  };
}

/** A parameter's `default` is a value of its type. */
function checkDefault(decl: ParameterDecl, accept: Accept, ctx: CheckContext): void {
  if (!decl.default) return;
  const expected = { kind: decl.type.name };
  const given = ctx.typeOf(decl.default);
  if (!assignable(expected, given)) {
    accept('PB2162', decl.default.span, `parameter \`${decl.name.name}\` is ${describeType(expected)}; its default cannot be ${describeType(given)}`);
  }
}

/** The `with` list against the target's `parameters`: each one given (once: playbook-names.ts), none unknown, each of its type. */
function checkArguments(node: RunPlaybookStep, target: PlaybookDecl, accept: Accept, ctx: CheckContext): void {
  const id = target.id.name;
  const parameters = declaredParameters(target);
  if (parameters.length === 0) {
    if (node.args.length > 0) {
      const span = { ...node.args[0]!.span, end: node.args[node.args.length - 1]!.span.end };
      accept('PB2165', span, `playbook \`${id}\` declares no parameters`, {
        hint: `drop the \`with\` list, or declare them in \`${id}\`'s header: \`parameters <name> <type>, …\``,
        related: [{ message: 'playbook defined here', span: target.id.span }],
      });
    }
    return;
  }
  const names = parameters.map((p) => p.name.name);
  for (const arg of node.args) {
    const decl = parameters.find((p) => p.name.name === arg.name.name);
    if (!decl) {
      accept('PB2160', arg.name.span, `playbook \`${id}\` has no parameter \`${arg.name.name}\``, {
        hint: didYouMean(arg.name.name, names) ?? `its parameters are: ${names.join(', ')}`,
        related: [{ message: 'parameters declared here', span: parameters[0]!.span }],
      });
      continue;
    }
    const expected = { kind: decl.type.name };
    const given = ctx.typeOf(arg.value);
    // A bare word or a lone duration is reported as such (expression-types.ts).
    if (given.kind !== 'word' && given.kind !== 'duration' && !assignable(expected, given)) {
      accept('PB2162', arg.value.span, `parameter \`${decl.name.name}\` of \`${id}\` is ${describeType(expected)}; this is ${describeType(given)}`, {
        related: [{ message: 'parameter declared here', span: decl.span }],
      });
    }
  }
  const missing = parameters.filter((p) => !p.default && !node.args.some((a) => a.name.name === p.name.name));
  if (missing.length > 0) {
    const list = missing.map((p) => `\`${p.name.name}\``).join(', ');
    accept('PB2161', node.span, `\`run playbook ${id}\` leaves out ${missing.length === 1 ? 'parameter' : 'parameters'} ${list}`, {
      hint: `give every parameter: \`with ${parameters.map((p) => `${p.name.name}: …`).join(', ')}\``,
      related: [{ message: 'parameters declared here', span: parameters[0]!.span }],
    });
  }
}

/** The shortest chain of `run playbook` steps from `from` to `to` (both included), if any. */
function pathBetween(from: string, to: string, symbols: Symbols, targets: (decl: PlaybookDecl) => string[]): string[] | undefined {
  const cameFrom = new Map<string, string | null>([[from, null]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i]!;
    if (id === to) {
      const path: string[] = [];
      for (let at: string | null | undefined = id; at; at = cameFrom.get(at)) path.unshift(at);
      return path;
    }
    const decl = symbols.playbooks.get(id)?.decl;
    for (const next of decl ? targets(decl) : []) {
      if (!cameFrom.has(next)) {
        cameFrom.set(next, id);
        queue.push(next);
      }
    }
  }
  return undefined;
}

function runTargets(steps: Step[]): string[] {
  const ids: string[] = [];
  for (const step of steps) {
    if (step.kind === 'runPlaybook' && step.playbook) ids.push(step.playbook.name);
    for (const block of childBlocks(step)) ids.push(...runTargets(block.steps));
  }
  return ids;
}
