/**
 * The Temporal server the crash tests and the Temporal throughput benchmark run on: a dev
 * server of their own, or the running server PLAYBOOK_TEST_TEMPORAL_ADDRESS names (the
 * cluster of `playbook cluster up`, as `npm run cluster:test` sets it), which they leave
 * running. Search attributes are made sure of either way.
 */
import { Connection } from '@temporalio/client';
import { startDevServer, type DevServer, type DevServerOptions } from './dev-server.js';
import { ensureSearchAttributes } from './search-attributes.js';

export const TEST_TEMPORAL_ADDRESS_ENV = 'PLAYBOOK_TEST_TEMPORAL_ADDRESS';
/** The namespace on that server; default "default". */
export const TEST_TEMPORAL_NAMESPACE_ENV = 'PLAYBOOK_TEST_TEMPORAL_NAMESPACE';

/** Options of a dev server's own (a SQLite file, dynamic config values) cannot be given to a running server. */
type ServerUnderTestOptions = Pick<DevServerOptions, 'uiPort' | 'searchAttributes' | 'readyTimeoutMs'>;

export async function startServerUnderTest(options: ServerUnderTestOptions = {}, env: NodeJS.ProcessEnv = process.env): Promise<DevServer> {
  const address = env[TEST_TEMPORAL_ADDRESS_ENV];
  if (!address) return startDevServer(options);
  const namespace = env[TEST_TEMPORAL_NAMESPACE_ENV] || 'default';
  if (options.searchAttributes !== undefined) {
    const connection = await Connection.connect({ address });
    try {
      await ensureSearchAttributes(connection, namespace, options.searchAttributes);
    } finally {
      await connection.close();
    }
  }
  return { address, uiUrl: undefined, namespace, pid: undefined, replacedStalePid: null, stop: async () => {} };
}

/** What the figures were taken on, for a benchmark's title. */
export function serverUnderTestLabel(env: NodeJS.ProcessEnv = process.env): string {
  const address = env[TEST_TEMPORAL_ADDRESS_ENV];
  return address ? `the Temporal server at ${address}` : 'dev server';
}
