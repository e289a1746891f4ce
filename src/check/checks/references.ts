/**
 * References to things defined elsewhere: fields and bindings in expressions, recipients,
 * email templates, calendars, `wait for task` targets and `run playbook` targets.
 */
import { didYouMean } from '../../diagnostics/suggest.js';
import { waitables, type Ident } from '../../language/ast.js';
import { templateVariant } from '../../workspace/template.js';
import type { Pos } from '../../language/span.js';
import type { Accept, CheckContext, CheckRegistry } from '../registry.js';

const EMAIL_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const referenceChecks: CheckRegistry = {
  expr: [
    (node, accept, ctx) => {
      if (node.kind !== 'ref') return;
      const resolution = ctx.resolve(node);
      if ('problem' in resolution) {
        const { code, span, message, hint, related } = resolution.problem;
        accept(code, span, message, { hint, related });
      }
    },
  ],
  recipient: [
    (node, accept, ctx) => {
      if (node.kind === 'field' && node.field) {
        const resolution = ctx.resolve(node.field);
        if ('problem' in resolution) return;
        const t = resolution.type;
        // A list of addresses (`list of contact`) is a recipient of `email` only (email-parties.ts).
        const type = t.kind === 'list' ? t.of : t.kind;
        const kind = resolution.target.kind;
        if ((kind !== 'field' && kind !== 'param') || (type !== 'user' && type !== 'contact')) {
          const what =
            kind === 'field' ? `a ${t.kind === 'list' ? `list of ${t.of}` : type} field` : kind === 'param' ? `a ${type} parameter` : 'not an account field';
          accept('PB2026', node.span, `a recipient must be an account field (or a parameter) of type \`user\` or \`contact\`; this is ${what}`, {
            hint: 'use a `user` or `contact` field or parameter, `role "<name>"`, or an email address in quotes',
          });
        }
      }
      if (node.kind === 'address' && node.address && !EMAIL_ADDRESS.test(node.address.value)) {
        accept('PB2028', node.address.span, `\`${node.address.value}\` is not an email address`);
      }
    },
  ],
  header: [
    (node, accept, ctx) => {
      if (node.kind !== 'calendar' || !node.id) return;
      if (!ctx.symbols.calendars.has(node.id.name)) {
        accept('PB2011', node.id.span, `unknown calendar \`${node.id.name}\``, {
          hint: didYouMean(node.id.name, ctx.symbols.calendars.keys()) ?? 'define it with `calendar <id>` in a file of this workspace',
        });
      }
    },
  ],
  step: [
    (node, accept, ctx) => {
      if (node.kind !== 'email' || !node.template) return;
      const name = node.template.value;
      if (!ctx.symbols.templates.has(name)) {
        const variant = templateVariant(name);
        const written = variant && ctx.symbols.templateVariants.get(variant.of)?.has(variant.locale);
        accept('PB2014', node.template.span, `unknown email template \`${name}\``, {
          hint: written
            ? `\`templates/${name}.md\` is the \`${variant!.locale}\` variant of \`${variant!.of}\`, chosen by \`account.locale\`: write \`template "${variant!.of}"\``
            : (didYouMean(name, ctx.symbols.templates.keys()) ?? `add \`templates/${name}.md\` to the workspace`),
        });
      }
    },
    (node, accept, ctx) => {
      if (node.kind !== 'waitFor') return;
      for (const target of waitables(node.target)) if (target.kind === 'task') checkWaitedTask(target.task, node.span.start, accept, ctx);
    },
  ],
};

/** `wait for task <name>` (also in `wait for any of`) names a task defined before the wait at `at`. */
function checkWaitedTask(ident: Ident, at: Pos, accept: Accept, ctx: CheckContext): void {
  const found = ctx.binding(ident.name, at);
  if (found.visible?.kind === 'task') return;
  if (found.visible?.kind === 'event') {
    accept('PB2016', ident.span, `\`${ident.name}\` is an event, not a task`, {
      related: [{ message: 'event bound here', span: found.visible.ident.span }],
    });
  } else if (found.hidden?.kind === 'task') {
    accept('PB2018', ident.span, `task \`${ident.name}\` is not defined before this wait`, {
      related: [{ message: 'task defined here', span: found.hidden.ident.span }],
    });
  } else {
    const tasks = ctx
      .visibleBindings(at)
      .filter((b) => b.kind === 'task')
      .map((b) => b.name);
    accept('PB2016', ident.span, `no task named \`${ident.name}\` is defined before this wait`, {
      hint: didYouMean(ident.name, tasks) ?? 'name the task with `as <name>` on its `task` line',
    });
  }
}
