import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { isProcessRunning } from '../util/process.js';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * A long-running server child process whose recent output is kept for error messages. It
 * leads its own process group, and is signalled as a group, so that whatever it starts ends
 * with it.
 */
export interface ServerProcess {
  /** Undefined when the process could not be started. */
  readonly pid: number | undefined;
  /** Resolves once the process has ended, with how it ended ("exited with code 1"). */
  readonly exited: Promise<string>;
  hasExited(): boolean;
  /** The last lines the process wrote to stdout and stderr, oldest first. */
  recentOutput(): string;
  /** SIGTERM, then SIGKILL if it is still running after `graceMs`; resolves once it has ended. */
  stop(graceMs?: number): Promise<void>;
}

const KEPT_LINES = 40;
const DEFAULT_GRACE_MS = 10_000;

// Children still running when this process exits are sent SIGTERM, so a test run or CLI that
// ends without stopping its servers does not leave them behind. (Only the 'exit' event: taking
// over SIGINT/SIGTERM would fight the Temporal worker's own shutdown handling.)
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function track(child: ChildProcess): void {
  running.add(child);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const orphan of running) signalGroup(orphan.pid, 'SIGTERM');
  });
}

/** Signals the process group led by `pid`, else (not a group leader) the process alone. */
function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

const POLL_MS = 100;

/**
 * Stops a process this one did not start (a server left behind): SIGTERM to its group, SIGKILL
 * after `graceMs`; resolves to whether it has ended within a further `graceMs`.
 */
export async function stopProcessGroup(pid: number, graceMs = DEFAULT_GRACE_MS): Promise<boolean> {
  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    signalGroup(pid, signal);
    for (let waited = 0; waited < graceMs; waited += POLL_MS) {
      if (!isProcessRunning(pid)) return true;
      await delay(POLL_MS);
    }
  }
  return !isProcessRunning(pid);
}

/** Starts `command args`; every line of its output goes to `log` as well as the kept tail. */
export function spawnServer(command: string, args: readonly string[], log?: (line: string) => void): ServerProcess {
  // Its own group: stopped as a whole, and not sent the terminal's Ctrl-C, so that the worker
  // stops before its server does.
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  track(child);
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (lines.length > KEPT_LINES) lines.shift();
      log?.(line);
    });
  }
  let ended = false;
  const exited = new Promise<string>((resolve) => {
    const end = (how: string): void => {
      ended = true;
      running.delete(child);
      resolve(how);
    };
    child.once('error', (error) => end(`could not start ${command}: ${error.message}`));
    // 'close' rather than 'exit': it comes after the output streams are drained, so the kept
    // tail includes the last words of a server that failed to start.
    child.once('close', (code, signal) => end(signal ? `was killed by ${signal}` : `exited with code ${String(code)}`));
  });

  return {
    pid: child.pid,
    exited,
    hasExited: () => ended,
    recentOutput: () => lines.join('\n'),
    async stop(graceMs = DEFAULT_GRACE_MS) {
      if (ended) return;
      signalGroup(child.pid, 'SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'grace over'>((resolve) => {
        timer = setTimeout(() => resolve('grace over'), graceMs);
      });
      const first = await Promise.race([exited, graceOver]);
      clearTimeout(timer);
      if (first === 'grace over') {
        signalGroup(child.pid, 'SIGKILL');
        await exited;
      }
    },
  };
}

/**
 * Starts `command args` to outlive this process (`playbook cluster up` returns while its
 * servers run): its own group, not stopped by the exit hook, output appended to `logFile`.
 * Its recent output is the log file's tail; `stop` works while this process still runs.
 */
export function spawnDetachedServer(command: string, args: readonly string[], logFile: string): ServerProcess {
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, { stdio: ['ignore', fd, fd], detached: true });
  } finally {
    closeSync(fd);
  }
  child.unref();
  let ended = false;
  const exited = new Promise<string>((resolve) => {
    const end = (how: string): void => {
      ended = true;
      resolve(how);
    };
    child.once('error', (error) => end(`could not start ${command}: ${error.message}`));
    child.once('exit', (code, signal) => end(signal ? `was killed by ${signal}` : `exited with code ${String(code)}`));
  });
  return {
    pid: child.pid,
    exited,
    hasExited: () => ended,
    recentOutput: () => {
      try {
        return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-KEPT_LINES).join('\n');
      } catch {
        return '';
      }
    },
    async stop(graceMs = DEFAULT_GRACE_MS) {
      if (!ended && child.pid !== undefined) await stopProcessGroup(child.pid, graceMs);
    },
  };
}
