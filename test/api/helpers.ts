/**
 * A running API for tests (and the schemathesis fuzz): a real Temporal dev server and a
 * worker in this process, the API listening on a free port of 127.0.0.1, one token of each
 * role in a real token store, an integration with a signing secret, the fixture workspace
 * deployed through the API, and sample accounts imported through it.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { pino } from 'pino';
import { startApi, type RunningApi } from '../../src/api/serve.js';
import { signatureHeader } from '../../src/api/signature.js';
import { issueToken, type TokenRequest } from '../../src/api/tokens/issue.js';
import { FileTokenStore } from '../../src/api/tokens/store.js';
import { startLocalStack } from '../../src/ops/local-stack.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { startSmtp } from '../activities/servers.js';
import { eventually } from '../ops/helpers.js';
import { writeScratchConfig } from '../support/scratch-config.js';

export const FIXTURE_WORKSPACE = path.join(import.meta.dirname, 'fixtures', 'workspace');
export const INTEGRATION = 'crm';
export const INTEGRATION_SECRET = 'whsec-test-0123456789';
export const USERS = { csm: 'ann@example.com', otherCsm: 'bob@example.com', grantedCsm: 'cy@example.com' } as const;
/** How many `race-<n>` accounts the task completion race test uses. */
export const RACE_ROUNDS = 5;
/** Accounts outside the user fields of `grantedCsm` that its token was granted. */
export const GRANTED_ACCOUNTS = ['globex', 'initech', ...Array.from({ length: RACE_ROUNDS }, (_, n) => `race-${n}`)];

/** Sample accounts of the fixture workspace's fields. */
export const SAMPLE_ACCOUNTS = [
  { id: 'acme', name: 'Acme', segment: 'enterprise', csm: USERS.csm, renewal_date: '2027-03-01' },
  { id: 'globex', name: 'Globex', segment: 'smb', csm: USERS.otherCsm, renewal_date: '2027-06-30' },
];

const TOKEN_REQUESTS = {
  csops: { name: 'ops', role: 'csops' },
  csm: { name: 'ann', role: 'csm', user: USERS.csm },
  otherCsm: { name: 'bob', role: 'csm', user: USERS.otherCsm },
  grantedCsm: { name: 'cy', role: 'csm', user: USERS.grantedCsm, grants: GRANTED_ACCOUNTS },
  integration: { name: 'crm-sync', role: 'integration', integration: INTEGRATION },
} satisfies Record<string, TokenRequest>;

export type TokenName = keyof typeof TOKEN_REQUESTS;

export interface CallOptions {
  token?: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (with `Content-Type: application/json` unless `headers` say otherwise). */
  raw?: string;
  headers?: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  /** The parsed JSON body (null when empty); tests read whatever the endpoint answered. */
  body: any;
  headers: Headers;
}

export interface ApiTestStack {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Where the API receives replies by SMTP (`outreach.inboundSmtp`), else null. */
  inboundSmtpPort: number | null;
  /** A Temporal client on the dev server, for assertions. */
  client: Client;
  tokens: Record<TokenName, string>;
  /** The folder holding the configuration, the token store and the local sinks. */
  dir: string;
  configFile: string;
  /** The store the API reads from (`store` option), else null. */
  storeUrl: string | null;
  call(method: string, route: string, options?: CallOptions): Promise<ApiResponse>;
  /** Signs `raw` as the integration does, at `t` (unix seconds; default now). */
  sign(raw: string, t?: number): string;
  /** The API's log lines, parsed. */
  logLines(): Array<Record<string, unknown>>;
  /** Another API process's worth (same configuration, same token store); the caller closes it. */
  anotherApi(): Promise<RunningApi>;
  stop(): Promise<void>;
}

export interface ApiTestOptions {
  /** Deploy the fixture workspace through the API (default true). */
  deploy?: boolean;
  /** Import these through the API (default `SAMPLE_ACCOUNTS`; needs `deploy`). */
  accounts?: ReadonlyArray<Record<string, unknown>>;
  /** The workspace to deploy; default `FIXTURE_WORKSPACE`. */
  workspace?: string;
  /** Settings of the `api` section that replace the tests' own. */
  api?: Record<string, unknown>;
  /** Dev server settings, e.g. lowered history limits. */
  dynamicConfig?: Record<string, string | number | boolean>;
  /** Host the embedded store (migrated) and have the API read from it (default false). */
  store?: boolean;
  /** A store the caller started and migrated (e.g. on PostgreSQL), instead of the embedded one. */
  storeUrl?: string;
  /** Further sections of the configuration file, e.g. `smtp`, `console`. */
  sections?: Record<string, unknown>;
}

export async function startApiForTests(options: ApiTestOptions = {}): Promise<ApiTestStack> {
  const { dir, configFile, port, config } = await writeScratchConfig('api-tests', 'api-tests', {
    api: { host: '127.0.0.1', port: 0, integrations: { [INTEGRATION]: { secret: INTEGRATION_SECRET } }, maxBodyBytes: 64 * 1024, ...options.api },
    ...(options.storeUrl !== undefined && { store: { url: options.storeUrl } }),
    ...options.sections,
  });
  const store = new FileTokenStore(config.api.tokensFile);
  const tokens = {} as Record<TokenName, string>;
  for (const [key, request] of Object.entries(TOKEN_REQUESTS)) {
    tokens[key as TokenName] = (await issueToken(store, request, [INTEGRATION], new Date())).token;
  }

  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== ''),
      );
      done();
    },
  });
  const stack = await startLocalStack({
    config,
    port,
    uiPort: false,
    ...(options.dynamicConfig !== undefined && { dynamicConfig: options.dynamicConfig }),
    ...(options.store && { embeddedStoreDir: path.join(dir, 'store') }),
  });
  const connection = await Connection.connect({ address: stack.server.address });
  const api = await startApi(stack.config, pino(sink));

  const call = async (method: string, route: string, { token, body, raw, headers = {} }: CallOptions = {}): Promise<ApiResponse> => {
    const payload = raw ?? (body === undefined ? undefined : JSON.stringify(body));
    const response = await fetch(`${api.url}${route}`, {
      method,
      headers: {
        ...(payload !== undefined && { 'content-type': 'application/json' }),
        ...(token !== undefined && { authorization: `Bearer ${token}` }),
        ...headers,
      },
      ...(payload !== undefined && { body: payload }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text), headers: response.headers };
  };

  const testStack: ApiTestStack = {
    url: api.url,
    inboundSmtpPort: api.inboundSmtpPort,
    client: new Client({ connection }),
    tokens,
    dir,
    configFile,
    storeUrl: stack.config.store?.url ?? null,
    call,
    sign: (raw, t = Math.floor(Date.now() / 1000)) => signatureHeader(INTEGRATION_SECRET, t, raw),
    logLines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    anotherApi: () => startApi(stack.config, pino(sink)),
    async stop() {
      await api.close();
      await connection.close();
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    if (options.deploy ?? true) {
      const deployed = await call('POST', '/v1/deployments', { token: tokens.csops, body: { files: workspaceFiles(options.workspace ?? FIXTURE_WORKSPACE) } });
      if (deployed.status !== 200) throw new Error(`deploying the fixture workspace failed: ${JSON.stringify(deployed.body)}`);
      const accounts = options.accounts ?? SAMPLE_ACCOUNTS;
      if (accounts.length > 0) {
        const imported = await call('POST', '/v1/accounts/bulk', { token: tokens.csops, body: { accounts } });
        if (imported.status !== 200) throw new Error(`importing the sample accounts failed: ${JSON.stringify(imported.body)}`);
      }
    }
  } catch (e) {
    await testStack.stop();
    throw e;
  }
  return testStack;
}

/** The outreach tests' stack: a test SMTP server receiving the email, the API on a store, the reply workspace deployed. */
export interface OutreachStack {
  smtp: Awaited<ReturnType<typeof startSmtp>>;
  api: ApiTestStack;
  /** The API's store, for assertions. */
  store: Store;
  /** Starts playbook `reach` (fixtures/replies) for `accountId`: the Message-ID of the email it sent to `to`. */
  sentEmail(accountId: string, to: string): Promise<string>;
  stop(): Promise<void>;
}

/** `accounts` imported, `smtpFrom` the envelope sender, `outreach` the configuration's section; `api` as for `startApiForTests`. */
export async function startOutreachStack(options: {
  accounts: ReadonlyArray<Record<string, unknown>>;
  smtpFrom: string;
  outreach: Record<string, unknown>;
  api?: Record<string, unknown>;
}): Promise<OutreachStack> {
  const smtp = await startSmtp();
  const api = await startApiForTests({
    store: true,
    workspace: path.join(import.meta.dirname, 'fixtures', 'replies'),
    accounts: options.accounts,
    ...(options.api !== undefined && { api: options.api }),
    sections: { smtp: { host: '127.0.0.1', port: smtp.port, from: options.smtpFrom }, outreach: options.outreach },
  }).catch(async (e: unknown) => {
    await smtp.close();
    throw e;
  });
  const store = openStore(api.storeUrl!);
  return {
    smtp,
    api,
    store,
    async sentEmail(accountId, to) {
      const started = await api.call('POST', '/v1/playbooks/reach/runs', { token: api.tokens.csops, body: { accountId } });
      if (started.status !== 201) throw new Error(`starting reach for ${accountId} failed: ${JSON.stringify(started.body)}`);
      return eventually(async () => {
        const mail = smtp.mails.find((m) => m.to.includes(to));
        if (mail === undefined) throw new Error(`no email to ${to} yet`);
        return mail.messageId;
      });
    },
    async stop() {
      await store.destroy();
      await api.stop();
      await smtp.close();
    },
  };
}

/** The workspace files under `dir` as the deployment endpoint takes them: relative path → text. */
export function workspaceFiles(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const rel = path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    // As `playbook deploy` reads a workspace: hidden entries (`.playbook/`, the check cache) are not part of it.
    if (rel.split('/').some((part) => part.startsWith('.'))) continue;
    files[rel] = readFileSync(path.join(dir, rel), 'utf8');
  }
  return files;
}
