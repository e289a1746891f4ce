/**
 * The state file `playbook dev` leaves in the data folder (`.playbook/dev.json`): where its
 * server listens, so the other commands find it without flags. It is removed on a clean
 * shutdown; a file left by a process that no longer runs is ignored.
 */
import { existsSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { isProcessRunning } from '../util/process.js';

export interface DevState {
  /** host:port of the dev server's gRPC frontend. */
  address: string;
  namespace: string;
  uiUrl: string | null;
  /** The embedded store it hosts; absent when the configuration names a store of its own. */
  storeUrl?: string;
  /** The `playbook dev` process. */
  pid: number;
}

export const DEV_STATE_FILE = 'dev.json';
/** The dev server's pid and port (see servers/server-pid-file.ts). */
export const SERVER_PID_FILE = 'temporal-server.json';

export function devStatePath(dataDir: string): string {
  return path.join(dataDir, DEV_STATE_FILE);
}

export function serverPidPath(dataDir: string): string {
  return path.join(dataDir, SERVER_PID_FILE);
}

export function writeDevState(dataDir: string, state: DevState): void {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(devStatePath(dataDir), `${JSON.stringify(state, null, 2)}\n`);
}

/** Removes the file only if it is still this process's (a newer `playbook dev` may have replaced it). */
export function removeDevState(dataDir: string, pid: number = process.pid): void {
  if (readDevState(dataDir)?.pid === pid) rmSync(devStatePath(dataDir), { force: true });
}

/** The state of a `playbook dev` that is still running, or null. */
export function readDevState(dataDir: string): DevState | null {
  const file = devStatePath(dataDir);
  if (!existsSync(file)) return null;
  let state: unknown;
  try {
    state = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
  if (!isDevState(state) || !isProcessRunning(state.pid)) return null;
  return state;
}

function isDevState(value: unknown): value is DevState {
  const v = value as Partial<DevState> | null;
  return typeof v === 'object' && v !== null && typeof v.address === 'string' && typeof v.namespace === 'string' && typeof v.pid === 'number';
}
