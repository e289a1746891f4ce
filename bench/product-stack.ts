/**
 * The product as the API and import benchmarks drive it, set up as an operator would: a
 * configuration file and a token store in a temporary folder, the local stack (a Temporal dev
 * server and a worker in this process with the real activities), the HTTP API on a free
 * port with its log lines discarded, and the bench workspace deployed through the API.
 */
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { pino } from 'pino';
import { startApi } from '../src/api/serve.js';
import { signatureHeader } from '../src/api/signature.js';
import { issueToken } from '../src/api/tokens/issue.js';
import { FileTokenStore } from '../src/api/tokens/store.js';
import type { PlaybookConfig } from '../src/config/types.js';
import { startLocalStack } from '../src/ops/local-stack.js';
import { connect } from '../src/temporal/client.js';
import { quietTemporalRuntime } from './temporal-setup.js';
import { writeScratchConfig } from '../test/support/scratch-config.js';

const BENCH_WORKSPACE_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'workspace', 'bench.playbook');
const INTEGRATION = 'bench-crm';
const INTEGRATION_SECRET = 'whsec-bench-0123456789';

export interface ProductStackOptions {
  /** Host the embedded store (PGlite) in this process, as `playbook dev` does; default none. */
  store?: boolean;
}

export interface ProductStack {
  /** The API's (and console's) address. */
  url: string;
  /** The configuration as the worker and the API use it (pointing at the dev server). */
  config: PlaybookConfig;
  /** A Temporal client of the benchmark's own. */
  client: Client;
  /** The temporary folder holding the configuration, the token store and the local sinks. */
  dir: string;
  /** Calls the API with a csops token; throws unless it answers `expected`. */
  call(method: string, route: string, body: unknown, expected: number): Promise<any>;
  /** POSTs `raw` with the integration's token, signed as an integration signs it; resolves to the response. */
  postSigned(route: string, raw: string): Promise<Response>;
  stop(): Promise<void>;
}

export async function startProductStack(options: ProductStackOptions = {}): Promise<ProductStack> {
  quietTemporalRuntime();
  const { dir, port, config } = await writeScratchConfig('bench-product', 'bench-product', {
    api: { host: '127.0.0.1', port: 0, integrations: { [INTEGRATION]: { secret: INTEGRATION_SECRET } } },
  });
  const store = new FileTokenStore(config.api.tokensFile);
  const now = new Date();
  const csops = (await issueToken(store, { name: 'bench-ops', role: 'csops' }, [INTEGRATION], now)).token;
  const integration = (await issueToken(store, { name: 'bench-crm-sync', role: 'integration', integration: INTEGRATION }, [INTEGRATION], now)).token;

  const stack = await startLocalStack({ config, port, uiPort: false, ...(options.store === true && { embeddedStoreDir: path.join(dir, 'store') }) });
  const client = await connect(stack.config.temporal).catch(async (e: unknown) => {
    await stack.stop();
    throw e;
  });
  // Discarded after pino has formatted them: the audit line of every request is part of its cost.
  const discard = new Writable({ write: (_chunk, _encoding, done) => done() });
  const api = await startApi(stack.config, pino(discard)).catch(async (e: unknown) => {
    await client.connection.close();
    await stack.stop();
    throw e;
  });

  const product: ProductStack = {
    url: api.url,
    config: stack.config,
    client,
    dir,
    async call(method, route, body, expected) {
      const response = await fetch(`${api.url}${route}`, {
        method,
        headers: { authorization: `Bearer ${csops}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (response.status !== expected) throw new Error(`${method} ${route} answered ${response.status}: ${text}`);
      return JSON.parse(text);
    },
    postSigned: (route, raw) =>
      fetch(`${api.url}${route}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${integration}`,
          'content-type': 'application/json',
          'playbook-signature': signatureHeader(INTEGRATION_SECRET, Math.floor(Date.now() / 1000), raw),
        },
        body: raw,
      }),
    async stop() {
      try {
        await api.close();
        await client.connection.close();
        await stack.stop();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  try {
    await product.call('POST', '/v1/deployments', { files: { 'bench.playbook': readFileSync(BENCH_WORKSPACE_FILE, 'utf8') } }, 200);
  } catch (e) {
    await product.stop();
    throw e;
  }
  return product;
}
