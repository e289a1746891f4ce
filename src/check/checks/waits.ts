/**
 * `wait for ... up to`: rungs that fire before the deadline, `on timeout` that can fire at
 * all; `wait for any of` lists each event and task once; a `where` names the event it reads.
 */
import { waitables, type Duration, type DurationUnit, type SingleWaitable } from '../../language/ast.js';
import type { Accept, CheckRegistry } from '../registry.js';

/** Minutes per unit of calendar time; business units depend on the calendar and are compared only with themselves. */
const MINUTES: Partial<Record<DurationUnit, number>> = { minute: 1, hour: 60, day: 24 * 60, week: 7 * 24 * 60 };

export const waitChecks: CheckRegistry = {
  step: [
    (node, accept) => {
      if (node.kind !== 'waitFor') return;
      if (node.target.kind === 'anyOf') rejectRepeatedWaitables(node.target.of, accept);
      for (const target of waitables(node.target)) {
        // A `where` chooses among events by their fields, which it reads only through the `as` name.
        if (target.kind !== 'event' || !target.where || target.as) continue;
        accept('PB2175', target.where.span, `this \`where\` cannot read the event "${target.name.value}": it has no \`as\` name`, {
          hint: `name the event before \`where\`, e.g. \`wait for event "${target.name.value}" as ${suggestedName(target.name.value)} where ${suggestedName(target.name.value)}.<field> …\``,
        });
      }
      if (node.onTimeout && !node.upTo) {
        accept('PB2031', node.onTimeout.span, '`on timeout` can never run: this wait has no `up to` deadline', {
          hint: 'add `up to <duration>` to the `wait for` line',
        });
      }
      const deadline = node.upTo;
      if (!deadline) return;
      for (const rung of node.rungs) {
        if (notEarlier(rung.after, deadline)) {
          accept('PB2030', rung.after.span, `this \`after\` rung never fires: it is not earlier than the \`up to ${formatDuration(deadline)}\` deadline`, {
            related: [{ message: 'deadline set here', span: deadline.span }],
          });
        }
      }
    },
  ],
};

/** The same event (whatever its `as`) or task listed twice can only ever be met by its first line. */
function rejectRepeatedWaitables(of: SingleWaitable[], accept: Accept): void {
  const seen = new Map<string, SingleWaitable>();
  for (const waitable of of) {
    const key = waitable.kind === 'event' ? `event "${waitable.name.value}"` : waitable.kind === 'task' ? `task ${waitable.task.name}` : undefined;
    if (key === undefined) continue;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, waitable);
    else
      accept('PB2150', waitable.span, `\`${key}\` is listed twice in this \`wait for any of\``, {
        related: [{ message: 'first listed here', span: first.span }],
      });
  }
}

/** Whether `a` is certainly at or after `b`. Mixed business/calendar units are not compared. */
function notEarlier(a: Duration, b: Duration): boolean {
  const ma = MINUTES[a.unit];
  const mb = MINUTES[b.unit];
  if (ma !== undefined && mb !== undefined) return a.amount * ma >= b.amount * mb;
  return a.unit === b.unit && a.amount >= b.amount;
}

function formatDuration(d: Duration): string {
  return `${d.amount} ${d.unit}${d.amount === 1 ? '' : 's'}`;
}

/** `ticket.resolved` → `resolved`: the last word of an event name, as a name for it. */
function suggestedName(event: string): string {
  const word =
    event
      .split(/[^a-z0-9_]+/)
      .filter(Boolean)
      .pop() ?? 'it';
  return /^[a-z]/.test(word) ? word : 'it';
}
