/** A playbook's header: settings that may appear once are given once. */
import type { HeaderItem } from '../../language/ast.js';
import type { CheckRegistry } from '../registry.js';

const SINGLE_SETTINGS: Partial<Record<HeaderItem['kind'], string>> = {
  owner: 'owner',
  description: 'description',
  calendar: 'calendar',
  sendWindow: 'send window',
};

export const headerChecks: CheckRegistry = {
  playbook: [
    (node, accept) => {
      const first = new Map<string, HeaderItem>();
      for (const item of node.header ?? []) {
        const setting = SINGLE_SETTINGS[item.kind];
        if (!setting) continue;
        const earlier = first.get(item.kind);
        if (earlier) {
          accept('PB2051', item.span, `\`${setting}\` is given twice in this playbook`, { related: [{ message: 'first given here', span: earlier.span }] });
        } else first.set(item.kind, item);
      }
    },
  ],
};
