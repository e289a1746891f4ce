/** Steps that can never run or whose results can never be used. */
import type { CheckRegistry } from '../registry.js';

export const reachabilityChecks: CheckRegistry = {
  block: [
    (node, accept) => {
      const stopAt = node.steps.findIndex((s) => s.kind === 'stop');
      const unreachable = stopAt >= 0 ? node.steps[stopAt + 1] : undefined;
      if (unreachable) {
        accept('PB3001', unreachable.span, 'this step never runs: the `stop` before it ends the run', {
          related: [{ message: 'the run stops here', span: node.steps[stopAt]!.span }],
        });
      }
    },
  ],
  step: [
    (node, accept) => {
      if (node.kind === 'task' && !node.name && node.asks.length > 0) {
        accept('PB3003', node.span, 'the answers to this task cannot be used: it has `ask` lines but no `as <name>`', {
          hint: 'add `as <name>` to the task line, then use `<name>.<ask>`',
        });
      }
    },
  ],
};
