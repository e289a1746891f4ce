/**
 * Coverage: `have run` names a playbook of the workspace, and the target is a share between 1% and 100%. The condition is walked
 * as a yes/no condition on account fields (walk.ts), so its references and types are checked
 * with every other condition's; a duplicate id is reported with the other duplicates.
 */
import { didYouMean } from '../../diagnostics/suggest.js';
import type { CheckRegistry } from '../registry.js';

export const coverageChecks: CheckRegistry = {
  coverage: [
    (node, accept, ctx) => {
      const { playbook } = node;
      if (!ctx.symbols.playbooks.has(playbook.name)) {
        accept('PB2180', playbook.span, `unknown playbook \`${playbook.name}\``, {
          hint: didYouMean(playbook.name, [...ctx.symbols.playbooks.keys()]) ?? 'name a playbook of this workspace',
        });
      }
      const target = node.target.value;
      if (target < 1 || target > 100) {
        accept('PB2182', node.target.span, `a coverage's target is a share of accounts from 1% to 100%, not ${target}%`, { hint: 'write e.g. `target 95%`' });
      }
    },
  ],
};
