/**
 * `npm run bench`: runs every benchmark suite and prints its figures. A new suite is one
 * import and one entry in `suites`.
 */
import { frontend } from './frontend.js';
import { formatTable, type Suite } from './harness.js';
import { simulation } from './simulate.js';
import { temporalHistory } from './temporal-history.js';
import { temporalThroughput } from './temporal-throughput.js';

const suites: Suite[] = [frontend, simulation, temporalHistory, temporalThroughput];

for (const suite of suites) {
  process.stdout.write(`${formatTable(suite.name, await suite.run())}\n`);
}
