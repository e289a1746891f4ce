/**
 * `npm run bench`: runs every benchmark suite and prints its figures. A new suite is one
 * import and one entry in `suites`.
 */
import { apiIngest } from './api-ingest.js';
import { frontend } from './frontend.js';
import { formatTable, type Suite } from './harness.js';
import { importStart } from './import-start.js';
import { simulation } from './simulate.js';
import { temporalHistory } from './temporal-history.js';
import { temporalThroughput } from './temporal-throughput.js';

const suites: Suite[] = [frontend, simulation, temporalHistory, temporalThroughput, apiIngest, importStart];

for (const suite of suites) {
  process.stdout.write(`${formatTable(suite.name, await suite.run())}\n`);
}
