/**
 * A schema-driven fuzz of the HTTP API: schemathesis (installed by `npm run setup`, see
 * scripts/install-schemathesis.ts) reads `/openapi.json` and sends generated requests, valid
 * and invalid, to every operation of a real API over a real dev server, once per role.
 * Nothing it sends may get a 5xx. So that the fuzz gets past "not found" to the code behind
 * it, path and body values are drawn half of the time from the accounts, playbooks, tasks and
 * event names that exist (schemathesis dictionaries), and runs with open tasks are waiting. An
 * integration's writes must be signed: its requests go through a proxy that signs them.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventually } from '../ops/helpers.js';
import { SAMPLE_ACCOUNTS, startApiForTests, type ApiTestStack, type TokenName } from './helpers.js';
import { SCHEMATHESIS_BIN, SCHEMATHESIS_VERSION } from './schemathesis.js';
import { startSigningProxy, type SigningProxy } from './signing-proxy.js';

/** Test cases per operation and phase; with the coverage phase's own cases, a few hundred per role. */
const MAX_EXAMPLES = 25;
/** Fixed, so a failure reproduces; change it to explore further. */
const SEED = 20261125;

/** Known values half of the time, generated ones the other half. */
const CONFIG = `
[dictionaries.accounts]
values = ${JSON.stringify(SAMPLE_ACCOUNTS.map((a) => a.id))}
[dictionaries.playbooks]
values = ["welcome", "checkin"]
[dictionaries.tasks]
values = ["call", "checkin"]
[dictionaries.events]
values = ["account.created", "demo.booked"]

[parameters]
"path.accountId" = { dictionary = "accounts", probability = 0.5 }
"path.playbook" = { dictionary = "playbooks", probability = 0.5 }
"path.task" = { dictionary = "tasks", probability = 0.5 }
"body.accountId" = { dictionary = "accounts", probability = 0.5 }
"body.playbook" = { dictionary = "playbooks", probability = 0.5 }
"body.name" = { dictionary = "events", probability = 0.5 }
`;

interface Interaction {
  request: { method: string; uri: string };
  response: { status_code: number } | null;
}

interface FuzzResult {
  exitCode: number;
  output: string;
  /** `<status> <METHOD> <path of the operation>` → how many responses. */
  responses: Map<string, number>;
}

let stack: ApiTestStack;
let signing: SigningProxy;

beforeAll(async () => {
  stack = await startApiForTests();
  signing = await startSigningProxy(stack.url, (raw) => stack.sign(raw));
  // A run of each playbook with an open task: `welcome` by its event trigger, `checkin` by hand.
  const event = await stack.call('POST', '/v1/events', { token: stack.tokens.csops, body: { accountId: 'acme', name: 'account.created' } });
  expect(event.status).toBe(202);
  const started = await stack.call('POST', '/v1/playbooks/checkin/runs', { token: stack.tokens.csops, body: { accountId: 'globex' } });
  expect(started.status).toBe(201);
  await eventually(async () => {
    const tasks = await Promise.all(SAMPLE_ACCOUNTS.map((a) => stack.call('GET', `/v1/tasks?assignee=${a.csm}`, { token: stack.tokens.csops })));
    expect(tasks.map((t) => t.body.tasks.length)).toEqual([1, 1]);
  });
  writeFileSync(path.join(stack.dir, 'schemathesis.toml'), CONFIG);
}, 120_000);

afterAll(async () => {
  await signing?.close();
  await stack?.stop();
});

async function fuzz(role: TokenName): Promise<FuzzResult> {
  const report = path.join(stack.dir, `schemathesis-${role}.ndjson`);
  const args = [
    '--config-file',
    path.join(stack.dir, 'schemathesis.toml'),
    'run',
    `${role === 'integration' ? signing.url : stack.url}/openapi.json`,
    '--checks',
    'not_a_server_error',
    '--header',
    `Authorization: Bearer ${stack.tokens[role]}`,
    '--max-examples',
    String(MAX_EXAMPLES),
    '--seed',
    String(SEED),
    // Python 3.11's parser is not thread-safe for hypothesis' lambda descriptions: one worker.
    '--workers',
    '1',
    '--report',
    'ndjson',
    '--report-ndjson-path',
    report,
  ];
  // In the stack's folder, where schemathesis also keeps its example database.
  const run = promisify(execFile)(SCHEMATHESIS_BIN, args, { cwd: stack.dir, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  const { stdout, stderr, code } = await run.then(
    (r) => ({ ...r, code: 0 }),
    (e: { stdout: string; stderr: string; code: number }) => e,
  );
  return { exitCode: code, output: `${stdout}\n${stderr}`, responses: responsesIn(report) };
}

/** Every response schemathesis recorded, counted by status and operation. */
function responsesIn(report: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of readFileSync(report, 'utf8').split('\n')) {
    if (line === '') continue;
    const event = JSON.parse(line) as { ScenarioFinished?: { recorder: { label: string; interactions?: Record<string, Interaction> } } };
    const recorder = event.ScenarioFinished?.recorder;
    for (const interaction of Object.values(recorder?.interactions ?? {})) {
      if (interaction.response === null) continue;
      const key = `${interaction.response.status_code} ${recorder!.label}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}

function statuses(result: FuzzResult, predicate: (status: number) => boolean): string[] {
  return [...result.responses.keys()].filter((key) => predicate(Number(key.split(' ')[0])));
}

describe(`schemathesis ${SCHEMATHESIS_VERSION} fuzz of /openapi.json`, () => {
  test('the pinned schemathesis is installed by the setup', () => {
    expect(existsSync(SCHEMATHESIS_BIN)).toBe(true);
  });

  // csops may call everything, csm less, an integration only accounts and events (and its events must be signed).
  test.each<TokenName>(['csops', 'csm', 'integration'])(
    'no generated request gets a 5xx (%s token)',
    async (role) => {
      const result = await fuzz(role);
      expect(
        statuses(result, (s) => s >= 500),
        result.output,
      ).toEqual([]);
      expect(result.exitCode, result.output).toBe(0);
      // The fuzz reached the code behind validation and lookups, not only the 400s and 404s.
      expect(statuses(result, (s) => s >= 200 && s < 300).length, result.output).toBeGreaterThan(3);
      expect(statuses(result, (s) => s === 400).length).toBeGreaterThan(3);
    },
    600_000,
  );
});
