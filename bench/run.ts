/**
 * `npm run bench`: runs every benchmark suite and prints its figures; BENCH_SUITES (a
 * comma-separated list of the keys below, e.g. `BENCH_SUITES=store`) runs only those. A new
 * suite is one import and one entry in `suites`.
 */
import { apiIngest } from './api-ingest.js';
import { consoleRender } from './console-render.js';
import { contactPolicy } from './contact-policy.js';
import { frontend } from './frontend.js';
import { formatTable, type Suite } from './harness.js';
import { importStart } from './import-start.js';
import { reportsSuite } from './reports.js';
import { simulation } from './simulate.js';
import { storeSuite } from './store.js';
import { temporalHistory } from './temporal-history.js';
import { temporalThroughput } from './temporal-throughput.js';
import { waitingRuns } from './waiting.js';

const suites: Record<string, Suite> = {
  frontend,
  simulate: simulation,
  history: temporalHistory,
  throughput: temporalThroughput,
  waiting: waitingRuns,
  ingest: apiIngest,
  import: importStart,
  store: storeSuite,
  console: consoleRender,
  contact: contactPolicy,
  reports: reportsSuite,
};

const wanted =
  process.env.BENCH_SUITES?.split(',')
    .map((key) => key.trim())
    .filter(Boolean) ?? Object.keys(suites);
const unknown = wanted.filter((key) => !(key in suites));
if (unknown.length > 0) throw new Error(`BENCH_SUITES names no suite ${unknown.join(', ')}; the suites are ${Object.keys(suites).join(', ')}`);

for (const key of wanted) {
  process.stdout.write(`${formatTable(suites[key]!.name, await suites[key]!.run())}\n`);
}
