/**
 * The countries and states date-holidays knows, as `holiday-regions.generated.ts` holds them
 * for the checker: checking a holiday code then reads a 4 kB module instead of the library's
 * 800 kB data file (~15 ms of CPU in every `playbook check` that names holidays). `npm run holidays` writes
 * the file; a test fails when it no longer matches the installed library. Run time (business
 * calendars) still uses the library itself.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The part of date-holidays' data file that tells which countries and states exist. */
interface HolidayData {
  holidays: Record<string, { states?: Record<string, unknown>; regions?: Record<string, unknown> }>;
}

export const HOLIDAY_REGIONS_PATH = 'src/check/holiday-regions.generated.ts';

/**
 * The generated module's text: each country's states the way the library's `getStates`
 * reads its data (a country's `states`, else its `regions`), in the data file's order.
 */
export function holidayRegionsModule(): string {
  const packageDir = path.dirname(createRequire(import.meta.url).resolve('date-holidays/package.json'));
  const data = (JSON.parse(readFileSync(path.join(packageDir, 'data', 'holidays.json'), 'utf8')) as HolidayData).holidays;
  const table = Object.fromEntries(Object.entries(data).map(([country, entry]) => [country, Object.keys(entry.states ?? entry.regions ?? {})]));
  const header = [
    '/**',
    ' * The holiday countries and their states that date-holidays knows, generated from its data file',
    ' * by `npm run holidays` (`holiday-regions-artifact.ts`); do not edit. Read by the checker.',
    ' */',
  ].join('\n');
  return `${header}\n\nexport const holidayRegions: Readonly<Record<string, readonly string[]>> = ${JSON.stringify(table)};\n`;
}
