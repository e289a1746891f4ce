/**
 * A lock file beside a file that several processes of one host rewrite (read, modify,
 * replace): `<file>.lock`, created exclusively (O_EXCL) and holding the owner's pid. A lock
 * whose owner is no longer running, or older than `STALE_MS`, is stale and removed, so a
 * crashed writer blocks nobody for long. Removing is itself guarded (`<file>.lock.break`), so
 * two waiters that both saw the stale lock cannot remove the fresh one the first of them then
 * created. Waiting is bounded: after `WAIT_MS` the call fails.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { isProcessRunning } from './process.js';

/** Writers hold the lock for a read and a rename; one held this long is left over. */
const STALE_MS = 30_000;
const WAIT_MS = 10_000;
const RETRY_MS = 5;

export class FileLockBusy extends Error {
  constructor(readonly lock: string) {
    super(`${lock} is held by another process`);
    this.name = 'FileLockBusy';
  }
}

/** Runs `fn` holding the lock of `file`; throws `FileLockBusy` when it cannot be had within `WAIT_MS`. */
export async function withFileLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const lock = `${file}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const handle = await open(lock, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify({ pid: process.pid, at: new Date().toISOString() }));
      } finally {
        await handle.close();
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const stale = await staleLock(lock);
    if (stale !== null) await breakStale(lock, stale);
    else if (Date.now() >= deadline) throw new FileLockBusy(lock);
    await delay(RETRY_MS);
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { force: true });
  }
}

interface LockSeen {
  ino: number;
  text: string;
}

/** Removes the lock if it is still the stale one (same inode and content), holding the break lock. */
async function breakStale(lock: string, stale: LockSeen): Promise<void> {
  const guard = `${lock}.break`;
  try {
    await (await open(guard, 'wx', 0o600)).close();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    // Another waiter is breaking it; a break lock this old was left by a crash.
    const age = await stat(guard).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > STALE_MS) await rm(guard, { force: true });
    return;
  }
  try {
    const current = await seen(lock);
    if (current !== null && current.ino === stale.ino && current.text === stale.text) await rm(lock, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

/** The lock when it is stale, else null (also when it was released meanwhile). */
async function staleLock(lock: string): Promise<LockSeen | null> {
  const current = await seen(lock);
  if (current === null) return null;
  if (Date.now() - current.mtimeMs > STALE_MS) return current;
  let pid: unknown;
  try {
    pid = (JSON.parse(current.text) as { pid?: unknown }).pid;
  } catch {
    // Being written right now (created, not yet filled): its owner is alive.
    return null;
  }
  return typeof pid === 'number' && !isProcessRunning(pid) ? current : null;
}

async function seen(lock: string): Promise<(LockSeen & { mtimeMs: number }) | null> {
  try {
    const [info, text] = await Promise.all([stat(lock), readFile(lock, 'utf8')]);
    return { ino: info.ino, mtimeMs: info.mtimeMs, text };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
