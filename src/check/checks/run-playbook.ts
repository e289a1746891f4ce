/** `run playbook <id>`: the target exists, and playbooks do not run each other in a cycle. */
import { didYouMean } from '../../diagnostics/suggest.js';
import type { PlaybookDecl, Step } from '../../language/ast.js';
import type { CheckRegistry } from '../registry.js';
import type { Symbols } from '../symbols.js';
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
      },
    ],
  };
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
