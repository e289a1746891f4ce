/**
 * `playbook db migrate` and `db status` through the built CLI, against a real PostgreSQL
 * server: the schema version, what running the migrations prints, and the errors a person
 * gets for a store that is missing from the configuration or not running.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer, type PostgresServer } from '../../src/servers/postgres-server.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { cli } from '../ops/helpers.js';

const NAMES = Object.keys(MIGRATIONS);

describe('playbook db', () => {
  let server: PostgresServer;
  let dir: string;
  const config = (store: object | undefined): string => {
    const file = path.join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({ dataDir: path.join(dir, 'data'), ...(store && { store }) }));
    return file;
  };

  beforeAll(async () => {
    server = await startPostgresServer();
    dir = mkdtempSync(path.join(tmpdir(), 'playbook-db-cli-'));
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows the pending migrations, runs them once, then reports the store up to date', async () => {
    const file = config({ url: server.url });
    const before = await cli(file, 'db', 'status');
    expect(before.code).toBe(0);
    expect(before.stdout).toContain(`${NAMES.length} migration(s) pending; run \`playbook db migrate\``);

    const migrated = await cli(file, 'db', 'migrate');
    expect(migrated).toMatchObject({ code: 0, stderr: '' });
    expect(migrated.stdout).toContain(`ran ${NAMES.join(', ')}`);
    expect((await cli(file, 'db', 'migrate')).stdout).toContain('is up to date');

    const status = await cli(file, 'db', 'status', '--json');
    const json = JSON.parse(status.stdout) as { migrations: Array<{ name: string; executedAt: string | null }>; deliveries: unknown };
    expect(json.migrations.map((m) => m.name)).toEqual(NAMES);
    expect(json.migrations.every((m) => m.executedAt !== null)).toBe(true);
    expect(json.deliveries).toEqual({ pending: 0, sent: 0, failed: 0 });
  });

  it('reads the URL from the environment variable that store.urlEnv names, and never prints the password', async () => {
    const file = config({ urlEnv: 'TEST_STORE_URL' });
    const withPassword = server.url.replace('postgres@', 'postgres:s3cret@');
    process.env.TEST_STORE_URL = withPassword;
    const result = await cli(file, 'db', 'status').finally(() => delete process.env.TEST_STORE_URL);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('s3cret');
    expect(result.stdout).toContain('postgres:***@');
  });

  it('says how to get a store when none is configured or hosted', async () => {
    const result = await cli(config(undefined), 'db', 'status');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no store is configured: set store.url in playbook.config.json, or start `playbook dev`');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names a store that is not running, in one line without a stack trace', async () => {
    const result = await cli(config({ url: 'postgres://postgres:pw@127.0.0.1:1/postgres' }), 'db', 'migrate');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('the store at postgres://postgres:***@127.0.0.1:1/postgres is not reachable (ECONNREFUSED)');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
