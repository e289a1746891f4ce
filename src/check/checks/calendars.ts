/** Calendar settings: time zones and holiday countries. */
import { holidayRegions } from '../holiday-regions.generated.js';
import { isValidTimeZone } from '../../calendar/index.js';
import { didYouMean } from '../../diagnostics/suggest.js';
import type { Span } from '../../language/span.js';
import type { Accept, CheckRegistry } from '../registry.js';
import type { ValueType } from '../value-type.js';

export const calendarChecks: CheckRegistry = {
  calendar: [
    (node, accept, ctx) => {
      for (const item of node.items) {
        if (item.kind !== 'timezone') continue;
        for (const source of item.sources) {
          if ('kind' in source) {
            const resolution = ctx.resolve(source);
            if ('type' in resolution && resolution.type.kind !== 'timezone') {
              accept(
                'PB2046',
                source.span,
                `a calendar's time zone field must be of type \`timezone\`; \`${source.root.name}.${source.path.map((p) => p.name).join('.')}\` is not`,
              );
            }
          } else if (!isValidTimeZone(source.value)) {
            accept('PB2040', source.span, `unknown time zone "${source.value}"`, {
              hint: didYouMean(source.value, Intl.supportedValuesOf('timeZone')) ?? 'use an IANA time zone name such as "America/New_York"',
            });
          }
        }
      }
    },
    (node, accept, ctx) => {
      for (const item of node.items) {
        if (item.kind !== 'holidays') continue;
        for (const source of item.sources) {
          if ('kind' in source) {
            const resolution = ctx.resolve(source);
            if ('type' in resolution) holidayFieldProblem(resolution.type, `account.${source.path.map((p) => p.name).join('.')}`, source.span, accept);
          } else if (!isHolidayRegion(source.value)) {
            accept('PB2043', source.span, `unknown holiday country or region "${source.value}"`, {
              hint: 'use an ISO 3166 country code such as "US", optionally with a region: "US-NY"',
            });
          }
        }
      }
    },
  ],
};

/**
 * A field naming an account's holiday region holds text (checked when a run starts), or is a
 * `one of` field whose every value, in capitals, is a code (`one of us, de-by, gb-eng`).
 */
function holidayFieldProblem(type: ValueType, name: string, span: Span, accept: Accept): void {
  if (type.kind === 'text' || type.kind === 'unknown') return;
  if (type.kind !== 'oneOf') {
    accept('PB2047', span, `a calendar's holiday field must be of type \`text\` or \`one of\` holiday codes; \`${name}\` is not`, {
      hint: 'declare it as `text` holding a code such as "US" or "DE-BY"',
    });
    return;
  }
  const unknown = type.values.filter((v) => !isHolidayRegion(v.toUpperCase()));
  if (unknown.length > 0) {
    accept(
      'PB2047',
      span,
      `\`${name}\` can hold ${unknown.map((v) => `\`${v}\``).join(', ')}, which ${unknown.length === 1 ? 'is not a holiday code' : 'are not holiday codes'}`,
      {
        hint: 'every value of a holiday field must be a country or region code such as `us` or `de-by`',
      },
    );
  }
}

/**
 * Whether date-holidays knows `code` (`US` or `US-NY`), the way its `getStates` reads its
 * data, from the list generated from that data (`holiday-regions.generated.ts`).
 */
function isHolidayRegion(code: string): boolean {
  const [country, state, ...rest] = code.split('-');
  if (!country || rest.length > 0 || country !== country.toUpperCase()) return false;
  const states = Object.hasOwn(holidayRegions, country) ? holidayRegions[country] : undefined;
  if (!states) return false;
  return state === undefined || states.includes(state);
}
