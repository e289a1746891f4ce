/** Names defined twice in the workspace: playbooks, calendars, account fields. */
import type { CheckRegistry } from '../registry.js';

export const declarationChecks: CheckRegistry = {
  playbook: [
    (node, accept, ctx) => {
      const first = node.id && ctx.symbols.playbooks.get(node.id.name);
      if (first && first.decl !== node) {
        accept('PB2001', node.id.span, `playbook \`${node.id.name}\` is defined twice`, {
          related: [{ message: 'first defined here', span: first.decl.id.span }],
        });
      }
    },
  ],
  calendar: [
    (node, accept, ctx) => {
      const first = node.id && ctx.symbols.calendars.get(node.id.name);
      if (first && first.decl !== node) {
        accept('PB2002', node.id.span, `calendar \`${node.id.name}\` is defined twice`, {
          related: [{ message: 'first defined here', span: first.decl.id.span }],
        });
      }
    },
  ],
  field: [
    (node, accept, ctx) => {
      const first = node.name && ctx.symbols.fields.get(node.name.name);
      if (first && first.decl !== node) {
        accept('PB2003', node.name.span, `account field \`${node.name.name}\` is declared twice`, {
          related: [{ message: 'first defined here', span: first.decl.name.span }],
        });
      }
    },
  ],
};
