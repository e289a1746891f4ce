/** Calendar settings: time zones, holiday countries, settings given twice. */
import { createRequire } from 'node:module';
import type { CalendarItem } from '../../language/ast.js';
import type { CheckRegistry } from '../registry.js';
import { didYouMean } from '../suggest.js';

const SINGLE_SETTINGS: Partial<Record<CalendarItem['kind'], string>> = {
  timezone: 'timezone',
  workingDays: 'working days',
  workingHours: 'working hours',
};

export const calendarChecks: CheckRegistry = {
  calendar: [
    (node, accept, ctx) => {
      for (const item of node.items ?? []) {
        if (item.kind !== 'timezone') continue;
        for (const source of item.sources ?? []) {
          if ('kind' in source) {
            const resolution = ctx.resolve(source);
            if ('type' in resolution && resolution.type.kind !== 'timezone') {
              accept('PB2046', source.span, `a calendar's time zone field must be of type \`timezone\`; \`${source.root.name}.${source.path.map((p) => p.name).join('.')}\` is not`);
            }
          } else if (!isValidTimeZone(source.value)) {
            accept('PB2040', source.span, `unknown time zone "${source.value}"`, {
              hint: didYouMean(source.value, Intl.supportedValuesOf('timeZone')) ?? 'use an IANA time zone name such as "America/New_York"',
            });
          }
        }
      }
    },
    (node, accept) => {
      for (const item of node.items ?? []) {
        if (item.kind !== 'holidays' || !item.country) continue;
        const code = item.country.value;
        if (!isHolidayRegion(code)) {
          accept('PB2043', item.country.span, `unknown holiday country or region "${code}"`, {
            hint: 'use an ISO 3166 country code such as "US", optionally with a region: "US-NY"',
          });
        }
      }
    },
    (node, accept) => {
      const first = new Map<string, CalendarItem>();
      for (const item of node.items ?? []) {
        const setting = SINGLE_SETTINGS[item.kind];
        if (!setting) continue;
        const earlier = first.get(item.kind);
        if (earlier) {
          accept('PB2051', item.span, `\`${setting}\` is given twice in this calendar`, { related: [{ message: 'first given here', span: earlier.span }] });
        } else first.set(item.kind, item);
      }
    },
  ],
};

/** The shape of date-holidays' bundled data that tells which countries and states exist. */
interface HolidayData {
  data: { holidays: Record<string, { states?: Record<string, unknown>; regions?: Record<string, unknown> }> };
}

let holidayData: HolidayData['data']['holidays'] | undefined;

/**
 * Whether date-holidays knows `code` (`US` or `US-NY`), the way its `getStates` reads the
 * data. Only its data module is loaded (the full library costs several times more), and
 * only when a calendar names holidays; synchronously, via its CommonJS build.
 */
function isHolidayRegion(code: string): boolean {
  const [country, state, ...rest] = code.split('-');
  if (!country || rest.length > 0 || country !== country.toUpperCase()) return false;
  holidayData ??= (createRequire(import.meta.url)('date-holidays/data') as HolidayData).data.holidays;
  const entry = Object.hasOwn(holidayData, country) ? holidayData[country] : undefined;
  if (!entry) return false;
  const states = entry.states ?? entry.regions ?? {};
  return state === undefined || Object.hasOwn(states, state);
}

/** Whether `name` is an IANA time zone this runtime knows (aliases included). */
function isValidTimeZone(name: string): boolean {
  if (name.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
