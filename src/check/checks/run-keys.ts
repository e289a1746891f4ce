/**
 * `one run per account and <value>`: every value a run key reads is there when a run starts,
 * so an event field is bound by every trigger of the playbook (a playbook without triggers
 * is started by hand, which binds nothing). `start at most N per day` only holds back starts
 * by triggers, so a warning says when a playbook has none.
 */
import type { Trigger } from '../../language/ast.js';
import type { CheckRegistry } from '../registry.js';

export const runKeyChecks: CheckRegistry = {
  header: [
    (item, accept, ctx) => {
      const triggers: Trigger[] = (ctx.playbook?.header ?? []).flatMap((h) => (h.kind === 'trigger' ? [h.trigger] : []));
      if (item.kind === 'throttle' && triggers.every((t) => t.kind === 'manual')) {
        accept('PB3041', item.span, '`start at most` only queues starts by triggers, and this playbook is only started by hand', {
          hint: 'remove the line, or give the playbook a trigger',
        });
      }
      if (item.kind !== 'runKey') return;
      for (const part of item.parts) {
        const resolved = ctx.resolve(part);
        if (!('target' in resolved) || resolved.target.kind !== 'eventField') continue;
        const name = part.root.name;
        const unbound = triggers.length === 0 ? null : triggers.find((t) => t.kind !== 'event' || t.as?.name !== name);
        if (unbound === undefined) continue;
        accept(
          'PB2102',
          part.span,
          `the run key reads \`${name}\`, which ${unbound === null ? 'a start by hand (the default trigger)' : 'a trigger of this playbook'} does not bind: its runs would have no key`,
          {
            hint: `bind the event with \`as ${name}\` in every trigger, or key the runs by an account field`,
            ...(unbound !== null && { related: [{ message: `this trigger binds no \`${name}\``, span: unbound.span }] }),
          },
        );
      }
    },
  ],
};
