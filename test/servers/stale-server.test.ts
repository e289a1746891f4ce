/**
 * A dev server left running by a `playbook dev` that was killed with SIGKILL is found through
 * its pid file and stopped by the next start, which then gets the port (it failed with "port
 * in use").
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/servers/ports.js';
import { startDevServer, type DevServer } from '../../src/servers/dev-server.js';

const dir = mkdtempSync(path.join(tmpdir(), 'stale-server-'));
const pidFile = path.join(dir, 'temporal-server.json');
const leftovers: number[] = [];
let server: DevServer | undefined;

afterAll(async () => {
  await server?.stop();
  for (const pid of leftovers) if (isRunning(pid)) process.kill(-pid, 'SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('a dev server left behind', () => {
  it('is stopped by the next start on its port, which then starts', async () => {
    const port = await findFreePort();
    const fixture = fileURLToPath(new URL('./fixtures/dev-then-die.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', fixture, pidFile, String(port)], { encoding: 'utf8', timeout: 90_000 });
    expect(run.signal).toBe('SIGKILL');
    const stale = Number(run.stdout.trim());
    leftovers.push(stale);
    expect(isRunning(stale)).toBe(true);

    server = await startDevServer({ port, uiPort: false, pidFile });
    expect(server.address).toBe(`127.0.0.1:${port}`);
    expect(server.replacedStalePid).toBe(stale);
    expect(isRunning(stale)).toBe(false);
    await server.stop();
    server = undefined;
    expect(existsSync(pidFile)).toBe(false);
  }, 120_000);

  it('ignores a pid file whose process is not a dev server on that port', async () => {
    const port = await findFreePort();
    writeFileSync(pidFile, JSON.stringify({ pid: process.pid, port }));
    server = await startDevServer({ port, uiPort: false, pidFile });
    expect(server.replacedStalePid).toBeNull();
    expect(isRunning(process.pid)).toBe(true);
  }, 120_000);
});
