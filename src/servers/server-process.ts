import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A long-running server child process whose recent output is kept for error messages. */
export interface ServerProcess {
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
    for (const orphan of running) orphan.kill('SIGTERM');
  });
}

/** Starts `command args`; every line of its output goes to `log` as well as the kept tail. */
export function spawnServer(command: string, args: readonly string[], log?: (line: string) => void): ServerProcess {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
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
    exited,
    hasExited: () => ended,
    recentOutput: () => lines.join('\n'),
    async stop(graceMs = DEFAULT_GRACE_MS) {
      if (ended) return;
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const graceOver = new Promise<'grace over'>((resolve) => {
        timer = setTimeout(() => resolve('grace over'), graceMs);
      });
      const first = await Promise.race([exited, graceOver]);
      clearTimeout(timer);
      if (first === 'grace over') {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}
