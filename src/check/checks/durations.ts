/**
 * Durations are not 0 (the parser ensures whole numbers), a date moves only by whole days,
 * and business time without a calendar is flagged.
 */
import { isDateUnit } from '../../calendar/index.js';
import type { Duration, PlaybookDecl } from '../../language/ast.js';
import type { Span } from '../../language/span.js';
import type { Accept, CheckContext, CheckRegistry } from '../registry.js';

/** Per check run: remembers which playbooks were already warned about business time. */
export function durationChecks(): CheckRegistry {
  const warned = new Set<PlaybookDecl>();
  const warnDefaultCalendar = (span: Span, accept: Accept, ctx: CheckContext): void => {
    const playbook = ctx.playbook;
    if (!playbook || warned.has(playbook) || playbook.header.some((h) => h.kind === 'calendar')) return;
    warned.add(playbook);
    accept('PB3002', span, 'business days count Monday–Friday in UTC without holidays; add `calendar <id>`', {
      hint: 'a `calendar` line sets the time zone, working days, working hours and holidays',
    });
  };
  return {
    duration: [
      (node, accept, ctx) => {
        if (node.amount === 0)
          accept('PB2033', node.span, 'a duration must be at least 1', { hint: 'a wait of 0 never waits and a deadline of 0 is already over' });
        if (node.unit === 'business day' || node.unit === 'business hour') warnDefaultCalendar(node.span, accept, ctx);
      },
    ],
    expr: [
      (node, accept, ctx) => {
        if (node.kind === 'businessDaysSince') warnDefaultCalendar(node.span, accept, ctx);
        if (node.kind === 'offset') checkDateOffset(node.offset, accept);
        if (node.kind === 'arith') for (const side of [node.left, node.right]) if (side.kind === 'duration') checkDateOffset(side.duration, accept);
      },
    ],
    header: [
      (node, accept) => {
        if (node.kind === 'trigger' && node.trigger.kind === 'relative') checkDateOffset(node.trigger.offset, accept);
      },
    ],
  };
}

const UNIT_PLURALS = { minute: 'minutes', hour: 'hours', 'business hour': 'business hours' } as const;

/**
 * `<duration> before|after <date>` moves a calendar day, which has no time of day; the
 * interpreter shifts dates by days, weeks and business days only.
 */
function checkDateOffset(offset: Duration | undefined, accept: Accept): void {
  if (!offset || isDateUnit(offset.unit)) return;
  accept('PB2034', offset.span, `a date has no time of day, so it cannot be moved by ${UNIT_PLURALS[offset.unit]}`, {
    hint: 'use days, weeks, months or business days',
  });
}
