/**
 * The token store: only hashes on disk, names unique, revocation seen by a running lookup,
 * writers in several processes serialized (no lost create, no revoked token back).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueToken } from '../../src/api/tokens/issue.js';
import { hashToken, TOKEN_PREFIX } from '../../src/api/tokens/secret.js';
import { FileTokenStore } from '../../src/api/tokens/store.js';

const NOW = new Date('2026-05-04T10:00:00Z');
const WRITER = path.join(import.meta.dirname, 'fixtures', 'token-writer.ts');

/** Runs the token writer fixture as its own process; resolves with its exit code and stderr. */
function writer(...args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('token store', () => {
  let dir: string;
  let store: FileTokenStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'token-store-'));
    store = new FileTokenStore(path.join(dir, 'nested', 'tokens.json'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('stores the SHA-256 of a new token, never the token, in a file only its owner reads', async () => {
    const { token, record } = await issueToken(store, { name: 'ann', role: 'csm', user: 'ann@example.com' }, [], NOW);
    expect(token.startsWith(TOKEN_PREFIX)).toBe(true);
    expect(Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url')).toHaveLength(32);
    const text = readFileSync(store.file, 'utf8');
    expect(text).not.toContain(token);
    expect(text).not.toContain(token.slice(TOKEN_PREFIX.length));
    expect(JSON.parse(text)).toEqual({
      version: 1,
      tokens: [{ name: 'ann', role: 'csm', user: 'ann@example.com', hash: hashToken(token), createdAt: '2026-05-04T10:00:00.000Z' }],
    });
    expect(record.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
  });

  it('finds the principal of a token and nothing for an unknown one', async () => {
    const { token } = await issueToken(store, { name: 'crm-sync', role: 'integration', integration: 'crm' }, ['crm'], NOW);
    expect(await store.lookup(token)).toEqual({ name: 'crm-sync', role: 'integration', integration: 'crm', createdAt: NOW.toISOString() });
    expect(await store.lookup(`${token}x`)).toBeNull();
    expect(await new FileTokenStore(path.join(dir, 'none.json')).lookup(token)).toBeNull();
  });

  it('revokes by name, and a store already answering lookups refuses the token from then on', async () => {
    const reader = new FileTokenStore(store.file);
    const { token } = await issueToken(store, { name: 'ops', role: 'csops' }, [], NOW);
    const { token: other } = await issueToken(store, { name: 'ops-2', role: 'csops' }, [], NOW);
    expect(await reader.lookup(token)).not.toBeNull();
    expect((await store.revoke('ops')).name).toBe('ops');
    expect(await reader.lookup(token)).toBeNull();
    expect(await reader.lookup(other)).not.toBeNull();
    expect((await store.list()).map((r) => r.name)).toEqual(['ops-2']);
    await expect(store.revoke('ops')).rejects.toMatchObject({ kind: 'notFound', message: expect.stringContaining('no token named ops') });
  });

  it("keeps a csm token's granted accounts, once each, and gives them to its principal", async () => {
    const { token } = await issueToken(store, { name: 'ann', role: 'csm', user: 'ann@example.com', grants: ['acme', 'globex', 'acme'] }, [], NOW);
    expect(await store.lookup(token)).toMatchObject({ name: 'ann', grants: ['acme', 'globex'] });
  });

  it('refuses a second token of the same name', async () => {
    await issueToken(store, { name: 'ops', role: 'csops' }, [], NOW);
    await expect(issueToken(store, { name: 'ops', role: 'csops' }, [], NOW)).rejects.toMatchObject({ kind: 'conflict' });
  });

  it.each([
    [{ name: 'x', role: 'admin' }, '--role must be one of csm, csops, integration; got "admin"'],
    [{ name: 'ann', role: 'csm' }, 'a csm token needs --user <email>'],
    [{ name: 'ann', role: 'csm', user: 'ann' }, '--user must be an email address, got "ann"'],
    [{ name: 'crm', role: 'integration' }, 'an integration token needs --integration <name>'],
    [
      { name: 'crm', role: 'integration', integration: 'hubspot' },
      'unknown integration "hubspot": add it to api.integrations in the configuration (configured: crm)',
    ],
    [{ name: 'crm', role: 'integration', integration: 'crm', user: 'a@b.co' }, '--user is for csm and csops tokens'],
    [{ name: 'ops', role: 'csops', integration: 'crm' }, '--integration is only for integration tokens'],
    [{ name: 'two words', role: 'csops' }, '--name must be 1 to 64 letters'],
    [{ name: 'ops', role: 'csops', grants: ['acme'] }, '--grant-account is for csm tokens'],
    [{ name: 'ann', role: 'csm', user: 'ann@example.com', grants: [' '] }, '--grant-account needs an account id'],
  ])('refuses %j', async (request, message) => {
    await expect(issueToken(store, request, ['crm'], NOW)).rejects.toThrow(message);
    expect(await store.list()).toEqual([]);
  });

  it('reports a malformed store file as a one-line error', async () => {
    mkdirSync(path.dirname(store.file), { recursive: true });
    writeFileSync(store.file, '{"version": 1, "tokens": [{"name": "x"}]}');
    await expect(store.list()).rejects.toThrow(`the token store ${store.file} is malformed at tokens.0.role`);
    writeFileSync(store.file, 'not json');
    await expect(store.list()).rejects.toThrow('is not valid JSON');
  });

  it('serializes writers in concurrent processes: every create stays, every revoke holds', async () => {
    const processes = 4;
    const each = 15;
    for (let p = 0; p < processes; p++) for (let i = 0; i < each; i++) await issueToken(store, { name: `old${p}-${i}`, role: 'csops' }, [], NOW);
    const results = await Promise.all(Array.from({ length: processes }, (_, p) => writer(store.file, `new${p}`, String(each), `old${p}`)));
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const names = (await store.list()).map((r) => r.name).sort();
    const created = Array.from({ length: processes }, (_, p) => Array.from({ length: each }, (_, i) => `new${p}-${i}`))
      .flat()
      .sort();
    expect(names).toEqual(created);
    expect(existsSync(`${store.file}.lock`)).toBe(false);
  }, 60_000);

  it('takes over a lock left by a process that died', async () => {
    mkdirSync(path.dirname(store.file), { recursive: true });
    // A pid that is not running: the highest possible, never handed out in practice.
    writeFileSync(`${store.file}.lock`, JSON.stringify({ pid: 2 ** 22 - 1, at: NOW.toISOString() }));
    await issueToken(store, { name: 'ops', role: 'csops' }, [], NOW);
    expect((await store.list()).map((r) => r.name)).toEqual(['ops']);
    expect(existsSync(`${store.file}.lock`)).toBe(false);
  });
});
