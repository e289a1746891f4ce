/** `npm run holidays`: regenerates the checker's list of date-holidays' countries and states. */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOLIDAY_REGIONS_PATH, holidayRegionsModule } from '../src/check/holiday-regions-artifact.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
writeFileSync(join(root, HOLIDAY_REGIONS_PATH), holidayRegionsModule());
console.log(`wrote ${HOLIDAY_REGIONS_PATH}`);
