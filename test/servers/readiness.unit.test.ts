import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { findFreePort } from '../../src/servers/ports.js';
import { ServerStartError, waitUntilReady } from '../../src/servers/readiness.js';
import { spawnServer } from '../../src/servers/server-process.js';

const neverCalled = (_: Connection): Promise<unknown> => Promise.reject(new Error('probe must not succeed'));

describe('waitUntilReady', () => {
  it('fails fast with the output of a server that exits before it is ready', async () => {
    const server = spawnServer('sh', ['-c', 'echo starting; echo "bind: address already in use" >&2; exit 3']);
    const address = `127.0.0.1:${await findFreePort()}`;
    const waiting = waitUntilReady(server, { name: 'Fake server', address, timeoutMs: 60_000, probe: neverCalled });
    await expect(waiting).rejects.toThrow(ServerStartError);
    await expect(waiting).rejects.toThrow(
      `Fake server exited with code 3 before it was ready at ${address}; its last output:\n` + 'starting\nbind: address already in use',
    );
  });

  it('gives up after its timeout when nothing answers, and leaves the process to the caller', async () => {
    const server = spawnServer('sh', ['-c', 'echo "still booting"; exec sleep 60']);
    try {
      const address = `127.0.0.1:${await findFreePort()}`;
      const waiting = waitUntilReady(server, { name: 'Fake server', address, timeoutMs: 300, probe: neverCalled });
      await expect(waiting).rejects.toThrow(
        new RegExp(`^Fake server was not ready at ${address} within 0\\.3 s \\(last attempt: .+\\); its last output:\nstill booting$`),
      );
      expect(server.hasExited()).toBe(false);
    } finally {
      await server.stop();
    }
    expect(await server.exited).toBe('was killed by SIGTERM');
  });
});

describe('ServerProcess.stop', () => {
  it('kills with SIGKILL a process that ignores SIGTERM past the grace period', async () => {
    const server = spawnServer('sh', ['-c', 'trap "" TERM; echo ready; while true; do sleep 1; done']);
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (server.recentOutput().includes('ready')) resolve(clearInterval(poll));
      }, 10);
    });
    await server.stop(200);
    expect(await server.exited).toBe('was killed by SIGKILL');
  });
});

describe('a server left running', () => {
  it('is sent SIGTERM when this process exits', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/exit-without-stop.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', fixture], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(0);
    const pid = Number(run.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    await expect.poll(() => isRunning(pid), { timeout: 10_000 }).toBe(false);
  });
});

/** Whether `pid` is a live process (a zombie left for a non-reaping init counts as ended). */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
