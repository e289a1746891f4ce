/**
 * `npm run cluster:test` (opt-in, not part of `npm test`: it needs `npm run cluster:install`
 * and takes minutes): runs test/cluster (which brings its own cluster up and down), then
 * starts a fresh Temporal cluster on PostgreSQL on a free port, runs the
 * worker-crash tests against it (one worker killed and replaced; two workers sharing the
 * delivery ledger) and then the throughput benchmark, and stops the cluster. The benchmark's
 * waiting runs default to 2,000 here (BENCH_WAITING_RUNS changes it).
 */
import { spawn } from 'node:child_process';
import { startCluster, stopCluster } from '../src/servers/cluster.js';
import { findFreePort } from '../src/servers/ports.js';
import { TEST_TEMPORAL_ADDRESS_ENV, TEST_TEMPORAL_NAMESPACE_ENV } from '../src/servers/server-under-test.js';
import { SEARCH_ATTRIBUTE_SCHEMA } from '../src/temporal/contract.js';

const NAMESPACE = 'default';
const CRASH_TESTS = ['test/crash/worker-crash.test.ts', 'test/crash/shared-ledger.test.ts'];
const log = (line: string) => console.log(`cluster-test: ${line}`);

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  log(`${command} ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: 'inherit' });
    child.once('error', () => resolve(false));
    child.once('close', (code) => resolve(code === 0));
  });
}

let failed = false;
const wanted = process.env.CLUSTER_TEST ?? 'cluster,crash,bench';
if (wanted.includes('cluster') && !(await run('npx', ['vitest', 'run', '--config', 'vitest.cluster.config.ts'], process.env))) failed = true;
try {
  const state = await startCluster({ port: await findFreePort(), namespace: NAMESPACE, searchAttributes: SEARCH_ATTRIBUTE_SCHEMA, log });
  log(`cluster up at ${state.address}`);
  const env = { ...process.env, [TEST_TEMPORAL_ADDRESS_ENV]: state.address, [TEST_TEMPORAL_NAMESPACE_ENV]: NAMESPACE };
  if (wanted.includes('crash') && !(await run('npx', ['vitest', 'run', '--project', 'integration', ...CRASH_TESTS], env))) failed = true;
  if (wanted.includes('bench')) {
    const benchEnv = { ...env, BENCH_SUITES: 'throughput', BENCH_WAITING_RUNS: process.env.BENCH_WAITING_RUNS ?? '2000' };
    if (!(await run('npx', ['tsx', 'bench/run.ts'], benchEnv))) failed = true;
  }
} catch (error) {
  console.error(`cluster-test: ${error instanceof Error ? error.message : String(error)}`);
  failed = true;
} finally {
  await stopCluster(log);
}
process.exitCode = failed ? 1 : 0;
