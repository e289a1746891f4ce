/**
 * Who an email goes to and comes from: a list field (`list of contact`) is a recipient of
 * `email` only; `from` is a `user` field or a mailbox written out; one recipient given twice
 * in the same email is a warning (it would get the message twice, or a copy of its own).
 */
import { didYouMean } from '../../diagnostics/suggest.js';
import { parseMailbox } from '../../ir/mailbox.js';
import type { Recipient } from '../../language/ast.js';
import type { CheckContext, CheckRegistry } from '../registry.js';

export const emailPartyChecks: CheckRegistry = {
  step: [
    (node, accept, ctx) => {
      if (node.kind !== 'notify' && node.kind !== 'task' && node.kind !== 'escalate') return;
      const recipient = node.kind === 'task' ? node.assignee : node.to;
      const field = listField(recipient, ctx);
      if (field === undefined) return;
      accept('PB2120', recipient.span, `\`${node.kind}\` goes to one recipient, but \`account.${field}\` is a list`, {
        hint: 'a list of contacts is for `email`, which sends one message to each: `email account.<list> template "<name>"`',
      });
    },
    (node, accept) => {
      if (node.kind !== 'email') return;
      const seen = new Map<string, Recipient>();
      for (const r of [...node.to, ...(node.cc ?? []), ...(node.bcc ?? [])]) {
        const key = recipientKey(r);
        const first = seen.get(key);
        if (first) {
          accept('PB3060', r.span, `\`${key}\` is given twice in this email`, {
            hint: 'give each recipient once: in `to`, `cc` or `bcc`',
            related: [{ message: 'first given here', span: first.span }],
          });
        } else seen.set(key, r);
      }
    },
  ],
  sender: [
    (node, accept, ctx) => {
      if (node.kind === 'literal') {
        if (parseMailbox(node.value.value) === null) {
          accept('PB2122', node.value.span, `\`${node.value.value}\` is neither \`Name <address>\` nor an email address`, {
            hint: 'write e.g. `from "Acme Success <success@acme.com>"`',
          });
        }
        return;
      }
      const resolution = ctx.resolve(node.field);
      if ('problem' in resolution) return;
      if (resolution.target.kind === 'field' && resolution.type.kind === 'user') return;
      const users = [...ctx.symbols.fields.values()].filter((f) => f.type.type === 'user').map((f) => `account.${f.name}`);
      const what = resolution.target.kind === 'field' ? `a ${resolution.type.kind === 'list' ? 'list' : resolution.type.kind} field` : 'not an account field';
      accept('PB2121', node.field.span, `an email comes from a team member: \`from\` takes a \`user\` field, and this is ${what}`, {
        hint:
          didYouMean(refText(node.field), users) ??
          (users.length > 0
            ? `the \`user\` fields are ${users.map((u) => `\`${u}\``).join(', ')}`
            : 'declare the sender as `<name>: user` in `account fields`, or write `from "Name <address>"`'),
      });
    },
  ],
};

function listField(recipient: Recipient, ctx: CheckContext): string | undefined {
  if (recipient.kind !== 'field') return undefined;
  const resolution = ctx.resolve(recipient.field);
  if ('problem' in resolution || resolution.target.kind !== 'field' || resolution.type.kind !== 'list') return undefined;
  return resolution.target.field;
}

function recipientKey(r: Recipient): string {
  switch (r.kind) {
    case 'field':
      return refText(r.field);
    case 'role':
      return `role "${r.name.value}"`;
    case 'address':
      return r.address.value.toLowerCase();
  }
}

function refText(ref: Extract<Recipient, { kind: 'field' }>['field']): string {
  return [ref.root.name, ...ref.path.map((p) => p.name)].join('.');
}
