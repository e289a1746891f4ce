/** Settings that a calendar or a playbook header may give only once are given once. */
import type { CalendarItem, HeaderItem } from '../../language/ast.js';
import type { Span } from '../../language/span.js';
import type { Accept, CheckRegistry } from '../registry.js';

const CALENDAR_SETTINGS: Partial<Record<CalendarItem['kind'], string>> = {
  timezone: 'timezone',
  workingDays: 'working days',
  workingHours: 'working hours',
};

const HEADER_SETTINGS: Partial<Record<HeaderItem['kind'], string>> = {
  owner: 'owner',
  description: 'description',
  calendar: 'calendar',
  sendWindow: 'send window',
  runKey: 'one run per',
  throttle: 'start at most',
  parameters: 'parameters',
};

export const settingsOnceChecks: CheckRegistry = {
  calendar: [(node, accept) => reportRepeats(node.items, CALENDAR_SETTINGS, 'calendar', accept)],
  playbook: [(node, accept) => reportRepeats(node.header, HEADER_SETTINGS, 'playbook', accept)],
};

/** Every repeat of a setting named in `settings`, pointing back at its first line. */
function reportRepeats<Kind extends string>(
  items: ReadonlyArray<{ kind: Kind; span: Span }>,
  settings: Partial<Record<Kind, string>>,
  owner: string,
  accept: Accept,
): void {
  const first = new Map<Kind, { span: Span }>();
  for (const item of items) {
    const setting = settings[item.kind];
    if (!setting) continue;
    const earlier = first.get(item.kind);
    if (earlier) {
      accept('PB2051', item.span, `\`${setting}\` is given twice in this ${owner}`, { related: [{ message: 'first given here', span: earlier.span }] });
    } else first.set(item.kind, item);
  }
}
