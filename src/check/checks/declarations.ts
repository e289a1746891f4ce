/** Names defined twice in the workspace: playbooks, calendars, account fields. */
import type { Ident } from '../../language/ast.js';
import type { CheckCode } from '../codes.js';
import type { Accept, CheckRegistry } from '../registry.js';

export const declarationChecks: CheckRegistry = {
  playbook: [(node, accept, ctx) => reportSecond(node.id, ctx.symbols.playbooks.get(node.id.name)?.decl.id, 'PB2001', 'playbook', 'defined', accept)],
  calendar: [(node, accept, ctx) => reportSecond(node.id, ctx.symbols.calendars.get(node.id.name)?.decl.id, 'PB2002', 'calendar', 'defined', accept)],
  field: [(node, accept, ctx) => reportSecond(node.name, ctx.symbols.fields.get(node.name.name)?.decl.name, 'PB2003', 'account field', 'declared', accept)],
  coverage: [(node, accept, ctx) => reportSecond(node.id, ctx.symbols.coverages.get(node.id.name)?.decl.id, 'PB2181', 'coverage', 'declared', accept)],
};

/** Reports `name` when the symbol table holds another, first definition of it. */
function reportSecond(name: Ident, first: Ident | undefined, code: CheckCode, what: string, verb: string, accept: Accept): void {
  if (!first || first === name) return;
  accept(code, name.span, `${what} \`${name.name}\` is ${verb} twice`, { related: [{ message: 'first defined here', span: first.span }] });
}
