/**
 * Cadence triggers (`every … on …`): the day they fire on exists in their period. Weeks fire
 * on a weekday or their first business day; months and quarters on day 1–31, clamped to a
 * shorter month's last day (a warning says so for days 29–31).
 */
import type { CheckRegistry } from '../registry.js';

export const cadenceChecks: CheckRegistry = {
  header: [
    (node, accept) => {
      if (node.kind !== 'trigger' || node.trigger.kind !== 'every') return;
      const { period, on } = node.trigger;
      if (on?.kind !== 'day') return;
      if (period.unit === 'week') {
        accept('PB2101', on.span, `a weekly cadence cannot fire on day ${on.day}: weeks have no day numbers`, {
          hint: 'fire on a weekday (`on monday`) or `on first business day`',
        });
      } else if (on.day > 31) {
        accept('PB2100', on.span, `no month has a day ${on.day}`, { hint: 'use a day from 1 to 31; `on day 31` fires on the last day of shorter months' });
      } else if (on.day > 28) {
        accept('PB3040', on.span, `not every month has a day ${on.day}: in shorter months this cadence fires on their last day`, {
          hint: 'use `on day 28` or earlier to fire on the same day every month',
        });
      }
    },
  ],
};
