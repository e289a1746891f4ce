import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Holidays from 'date-holidays';
import { describe, expect, it } from 'vitest';
import { HOLIDAY_REGIONS_PATH, holidayRegionsModule } from '../../src/check/holiday-regions-artifact.js';
import { holidayRegions } from '../../src/check/holiday-regions.generated.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe("the checker's list of holiday countries and states", () => {
  it(`${HOLIDAY_REGIONS_PATH} matches the installed date-holidays`, () => {
    const checkedIn = readFileSync(join(root, HOLIDAY_REGIONS_PATH), 'utf8');
    if (checkedIn !== holidayRegionsModule()) expect.fail(`${HOLIDAY_REGIONS_PATH} is stale: run npm run holidays`);
  });

  it("names the countries and states the library's own lists give", () => {
    const library = new (createRequire(import.meta.url)('date-holidays') as typeof Holidays)();
    const countries = Object.keys(library.getCountries()).sort();
    expect(Object.keys(holidayRegions).sort()).toEqual(countries);
    for (const country of countries) {
      expect([...(holidayRegions[country] ?? [])].sort(), country).toEqual(Object.keys(library.getStates(country) ?? {}).sort());
    }
    expect(holidayRegions.DE).toContain('BY');
    expect(holidayRegions.GB).toContain('ENG');
    expect(holidayRegions.US).toContain('CA');
  });
});
