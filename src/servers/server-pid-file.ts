/**
 * The pid file of a dev server (`<dataDir>/temporal-server.json` for `playbook dev`): which
 * process serves which port. Written once the server is spawned and removed once it stopped,
 * so a file whose server still runs was left by a process that died without stopping it
 * (`kill -9`: no exit hook runs). The next start on that file stops that server first.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pollUntil } from '../util/poll-until.js';
import { isPortFree } from './ports.js';
import { ServerStartError } from './readiness.js';
import { isProcessRunning } from '../util/process.js';
import { stopProcessGroup } from './server-process.js';

export interface ServerPid {
  pid: number;
  port: number;
}

export function writeServerPid(file: string, record: ServerPid): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(record)}\n`);
}

/** Removes the file if it still names `pid` (a newer server may have replaced it). */
export function removeServerPid(file: string, pid: number | undefined): void {
  if (readServerPid(file)?.pid === pid) rmSync(file, { force: true });
}

function readServerPid(file: string): ServerPid | null {
  try {
    const record = JSON.parse(readFileSync(file, 'utf8')) as Partial<ServerPid>;
    return typeof record.pid === 'number' && typeof record.port === 'number' ? { pid: record.pid, port: record.port } : null;
  } catch {
    return null;
  }
}

/**
 * Stops the server the file names when it still runs and is what the file says it is (a
 * dev server on that port: a reused pid is left alone); resolves to its pid, else null. A
 * process whose command line cannot be read (no /proc) is reported, not stopped.
 */
export async function stopStaleServer(file: string): Promise<number | null> {
  const record = readServerPid(file);
  if (record === null || !isProcessRunning(record.pid)) {
    rmSync(file, { force: true });
    return null;
  }
  const command = commandLine(record.pid);
  const stale = `a Temporal dev server left running by an earlier start (pid ${record.pid}, port ${record.port}, recorded in ${file})`;
  if (command === undefined) throw new ServerStartError(`${stale} may still hold its port; stop it (kill ${record.pid}) and start again`);
  if (!isDevServerOn(command, record.port)) {
    rmSync(file, { force: true });
    return null;
  }
  if (!(await stopProcessGroup(record.pid))) throw new ServerStartError(`${stale} did not stop when asked; stop it (kill -9 ${record.pid}) and start again`);
  // The kernel may hold the port a moment after the process is gone (seen under load).
  await pollUntil(
    () => isPortFree(record.port),
    (free) => free,
    {
      timeoutMs: 10_000,
      intervalMs: 100,
      failure: () => new ServerStartError(`${stale} stopped, but its port ${record.port} is still in use`),
    },
  );
  rmSync(file, { force: true });
  return record.pid;
}

function commandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
}

function isDevServerOn(command: string[], port: number): boolean {
  const at = command.indexOf('--port');
  return command.includes('start-dev') && at >= 0 && command[at + 1] === String(port);
}
