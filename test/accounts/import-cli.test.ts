/**
 * `playbook accounts import|show|list` against a real Temporal dev server with a worker in
 * this process: the reference workspace deployed, the sample accounts imported into their
 * entities, and a file with bad rows importing nothing (or only its good rows with
 * `--skip-invalid`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport } from '../../src/accounts/import/run-import.js';
import { loadConfig } from '../../src/config/load.js';
import type { AccountData } from '../../src/ir/types.js';
import { startLocalStack, type LocalStack } from '../../src/ops/local-stack.js';
import { findFreePort } from '../../src/servers/ports.js';
import type { AccountState } from '../../src/temporal/account-contract.js';
import { getAccount } from '../../src/temporal/account-client.js';
import { accountWorkflowId } from '../../src/temporal/account-contract.js';
import { cli, eventually } from '../ops/helpers.js';

const ROOT = path.join(import.meta.dirname, '..', '..');
const WORKSPACE = path.join(ROOT, 'playbooks');
const SAMPLES = path.join(WORKSPACE, 'accounts');
const GOOD_CSV = path.join(import.meta.dirname, 'fixtures', 'sample-accounts.csv');
const BAD_CSV = path.join(import.meta.dirname, 'fixtures', 'bad-accounts.csv');

describe('playbook accounts on a dev server', () => {
  let dir: string;
  let configFile: string;
  let stack: LocalStack;
  let connection: Connection;
  let client: Client;
  const run = (...args: string[]) => cli(configFile, ...args);
  /** The entity's state once it has taken its first upsert. */
  const accountState = (id: string) =>
    eventually(async () => {
      const state = await getAccount(client, id);
      expect(Object.keys(state.data).length).toBeGreaterThan(1);
      return state;
    });
  const expectNoEntity = (id: string) => expect(getAccount(client, id)).rejects.toMatchObject({ kind: 'notFound' });

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'accounts-import-'));
    configFile = path.join(dir, 'playbook.config.json');
    const port = await findFreePort();
    writeFileSync(
      configFile,
      JSON.stringify({ dataDir: path.join(dir, 'data'), temporal: { address: `127.0.0.1:${port}`, taskQueue: 'accounts-import-tests' } }),
    );
    stack = await startLocalStack({ config: loadConfig({ path: configFile }), port, uiPort: false });
    connection = await Connection.connect({ address: stack.config.temporal.address });
    client = new Client({ connection, namespace: stack.config.temporal.namespace });
  });
  afterAll(async () => {
    await connection?.close();
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to import before anything is deployed', async () => {
    const result = await run('accounts', 'import', GOOD_CSV);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('playbook: nothing is deployed yet: run `playbook deploy` first (accounts are checked against the deployed account fields)\n');
  });

  describe('with the reference workspace deployed', () => {
    beforeAll(async () => {
      const deployed = await run('deploy', WORKSPACE);
      if (deployed.code !== 0) throw new Error(`deploy failed: ${deployed.stderr}`);
    });

    it('imports the sample accounts CSV into account entities holding their data', async () => {
      const result = await run('accounts', 'import', GOOD_CSV);
      expect(result.stderr).not.toContain('playbook:');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(new RegExp(`^imported 3 accounts from ${escape(GOOD_CSV)} in \\d+\\.\\ds \\(\\d+/s\\)\\n$`));

      for (const file of ['acme-enterprise', 'globex-mid-market', 'initech-quiet']) {
        const sample = JSON.parse(readFileSync(path.join(SAMPLES, `${file}.json`), 'utf8')) as AccountData;
        expect((await accountState(sample.id)).data).toEqual(sample);
      }
      const listed = await eventually(async () => {
        const ids = JSON.parse((await run('accounts', 'list', '--json')).stdout) as string[];
        expect(ids).toEqual(expect.arrayContaining(['acct-acme-001', 'acct-globex-014', 'acct-initech-027']));
        return ids;
      });
      expect(listed).toHaveLength(3);
      expect((await run('accounts', 'list', '--limit', '2')).stdout.trimEnd().split('\n')).toHaveLength(2);

      const shown = await run('accounts', 'show', 'acct-acme-001');
      expect(shown.code).toBe(0);
      expect(shown.stdout).toMatch(/^account acct-acme-001\ndata:\n/);
      expect(shown.stdout).toMatch(/\n {2}name +Acme Corporation\n/);
      expect(shown.stdout).toContain('\nrecent triggers');
      const json = JSON.parse((await run('accounts', 'show', 'acct-acme-001', '--json')).stdout) as AccountState;
      expect(json.data.arr).toBe(240000);
    });

    it('imports nothing from a file with bad rows, listing every bad row', async () => {
      const result = await run('accounts', 'import', BAD_CSV);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.split('\n')).toEqual([
        `${BAD_CSV}:3: account.renewal_date: expected a date YYYY-MM-DD, got "next year"`,
        `${BAD_CSV}:4: account.health: expected a number, got "high"`,
        `${BAD_CSV}:4: account.segment: expected one of smb, mid-market, enterprise, got "enterprize"`,
        `${BAD_CSV}:6: account.id: "acct-hooli-031" appears again (first on line 2)`,
        `playbook: 3 of 5 rows of ${BAD_CSV} are invalid; nothing was imported (fix them, or pass --skip-invalid to import the 2 valid rows)`,
        '',
      ]);
      for (const id of ['acct-hooli-031', 'acct-umbrella-044', 'acct-soylent-052', 'acct-vandelay-060']) await expectNoEntity(id);
    });

    it('imports only the valid rows with --skip-invalid and reports the skipped ones', async () => {
      const result = await run('accounts', 'import', BAD_CSV, '--skip-invalid', '--json');
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as ImportReport;
      expect(report).toMatchObject({ file: BAD_CSV, by: 'import:bad-accounts.csv', rows: 5, imported: 2, invalidRows: 3 });
      expect(report.problems.map((p) => p.at)).toEqual([`${BAD_CSV}:3`, `${BAD_CSV}:4`, `${BAD_CSV}:4`, `${BAD_CSV}:6`]);

      expect((await accountState('acct-hooli-031')).data).toMatchObject({ name: 'Hooli', arr: 310000, health: 81 });
      // Empty cells are left out, not stored as empty text.
      expect((await accountState('acct-vandelay-060')).data).toEqual({
        id: 'acct-vandelay-060',
        name: 'Vandelay Industries, Inc.',
        segment: 'smb',
        timezone: 'America/New_York',
        csm: 'sam.okafor@example.com',
        arr: 9000,
        status: 'active',
      });
      for (const id of ['acct-umbrella-044', 'acct-soylent-052']) await expectNoEntity(id);
    });

    it('refuses a file with a cell or an id too large for an entity before importing anything', async () => {
      // A 3 MB cell passed validation and failed at Temporal's payload limit part-way (row 150 of 200).
      const file = csvOf(dir, 'oversized.csv', 200, (i) => (i === 150 ? 'x'.repeat(3_000_000) : `Account ${i}`));
      writeFileSync(file, `${readFileSync(file, 'utf8')}${'a'.repeat(129)},Long id\n`);
      const result = await run('accounts', 'import', file);
      expect(result.code).toBe(1);
      expect(result.stderr.split('\n')).toEqual([
        `${file}:151: account.name: 3000000 bytes of text; at most 16384 are accepted`,
        `${file}:202: account.id: 129 characters long; at most 128 are accepted`,
        `playbook: 2 of 201 rows of ${file} are invalid; nothing was imported (fix them, or pass --skip-invalid to import the 199 valid rows)`,
        '',
      ]);
      for (const i of [1, 149, 200]) await expectNoEntity(`acct-big-${i}`);
    });

    it('refuses a row that would take its account over api.maxAccountDataBytes once merged with what it holds', async () => {
      // Each row is small enough alone; the account already holds the rest. The entity would drop
      // such an upsert part-way, so the importer checks merged data before the first write.
      const bounded = path.join(dir, 'bounded.config.json');
      writeFileSync(bounded, JSON.stringify({ ...JSON.parse(readFileSync(configFile, 'utf8')), api: { maxAccountDataBytes: 2048 } }));
      const first = path.join(dir, 'grow-1.csv');
      const people = ['csm', 'csm_manager', 'cs_leadership', 'primary_contact', 'executive_sponsor'];
      writeFileSync(first, `id,${people.join(',')}\nacct-grow,${people.map((p) => `${p.replaceAll('_', '.')}.${'n'.repeat(80)}@example.com`).join(',')}\n`);
      expect((await cli(bounded, 'accounts', 'import', first)).code).toBe(0);
      await accountState('acct-grow');
      const second = path.join(dir, 'grow-2.csv');
      writeFileSync(second, `id,name\nacct-grow-new,Grow New\nacct-grow,${'t'.repeat(1700)}\n`);
      const result = await cli(bounded, 'accounts', 'import', second);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `^${escape(second)}:3: account: this update would make the account's data \\d+ bytes as JSON; at most 2048 are accepted \\(api\\.maxAccountDataBytes\\)\n`,
        ),
      );
      expect(result.stderr).toContain('1 of 2 rows');
      await expectNoEntity('acct-grow-new');
    });

    it('says an unknown account is not found', async () => {
      const result = await run('accounts', 'show', 'acct-nobody');
      expect(result.code).toBe(1);
      expect(result.stderr).toBe('playbook: unknown account acct-nobody: import it or upsert it first\n');
    });
  });
});

describe('an import whose Temporal server goes away part-way', () => {
  let dir: string;
  let configFile: string;
  let port: number;
  let stack: LocalStack | undefined;
  const ROWS = 300;
  const startStack = async () => {
    stack = await startLocalStack({ config: loadConfig({ path: configFile }), dbFile: path.join(dir, 'temporal.db'), port, uiPort: false });
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'accounts-import-stop-'));
    configFile = path.join(dir, 'playbook.config.json');
    port = await findFreePort();
    writeFileSync(
      configFile,
      JSON.stringify({ dataDir: path.join(dir, 'data'), temporal: { address: `127.0.0.1:${port}`, taskQueue: 'accounts-import-stop' } }),
    );
    await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  // 300 rows imported up to twice, with a server restart between, at 20–40 accounts/s on the
  // loaded 2-core CI machine: a safety limit, not a speed check (the import benchmark is that).
  it('stops cleanly naming the rows applied, and importing the file again completes it', { timeout: 480_000 }, async () => {
    expect((await cli(configFile, 'deploy', WORKSPACE)).code).toBe(0);
    const file = csvOf(dir, 'many.csv', ROWS, (i) => `Account ${i}`);
    const importing = cli(configFile, 'accounts', 'import', file, '--json');
    const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
    try {
      const client = new Client({ connection });
      await eventually(() => client.workflow.getHandle(accountWorkflowId('acct-big-1')).describe(), 200);
    } finally {
      await connection.close();
    }
    await stack!.server.stop();
    const result = await importing;
    await stack!.stop();
    stack = undefined;

    expect(result.code).toBe(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.slice(-5)).toEqual([
      `playbook: importing ${file} stopped part-way: the Temporal server stopped answering`,
      expect.stringMatching(/^ {2}applied {6}\d+ rows \(lines 2-\d+(, \d+(-\d+)?)*\)$/),
      expect.stringMatching(/^ {2}unconfirmed {2}\d+ rows? (\(lines? [-\d, ]+\): their upserts failed; the server may have applied them)?$/),
      expect.stringMatching(/^ {2}not sent {5}\d+ rows \(lines [-\d, ]+\)$/),
      'Importing the same file again is safe: an upsert sets the values it names, so a row applied twice ends the same.',
    ]);
    const { stopped, imported } = JSON.parse(result.stdout) as ImportReport;
    expect(stopped!.applied.rows).toBe(imported);
    expect(stopped!.applied.rows + stopped!.unconfirmed.rows + stopped!.notSent.rows).toBe(ROWS);
    expect(stopped!.notSent.rows).toBeGreaterThan(0);

    await startStack();
    const again = await eventually(async () => {
      const out = await cli(configFile, 'accounts', 'import', file);
      expect(out.code).toBe(0);
      return out;
    });
    expect(again.stdout).toMatch(new RegExp(`^imported ${ROWS} accounts from `));
    const connectionAfter = await Connection.connect({ address: `127.0.0.1:${port}` });
    try {
      const client = new Client({ connection: connectionAfter });
      for (const i of [1, ROWS])
        expect((await eventually(() => getAccount(client, `acct-big-${i}`))).data).toEqual({ id: `acct-big-${i}`, name: `Account ${i}` });
    } finally {
      await connectionAfter.close();
    }
  });
});

/** A CSV of `rows` accounts `acct-big-<i>` (from 1) named `name(i)`. */
function csvOf(dir: string, name: string, rows: number, nameOf: (i: number) => string): string {
  const file = path.join(dir, name);
  const body = Array.from({ length: rows }, (_, i) => `acct-big-${i + 1},${nameOf(i + 1)}\n`).join('');
  writeFileSync(file, `id,name\n${body}`);
  return file;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
