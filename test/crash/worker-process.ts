/** The crash test's worker as a separate process, which the test can kill with SIGKILL. */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './wait-until.js';

const ENTRY = fileURLToPath(new URL('./fixtures/crash-worker.ts', import.meta.url));
const READY_TIMEOUT_MS = 60_000;

export interface WorkerProcess {
  /** Lines the worker printed on stdout so far. */
  readonly lines: readonly string[];
  /** Its process id (part of the store ledger's claims). */
  readonly pid: number;
  /** SIGKILL: no shutdown, no goodbye to the server; resolves once the process is gone. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the worker's graceful shutdown. */
  stop(): Promise<void>;
}

/** Starts the worker and resolves once it polls its task queue. */
export async function startWorkerProcess(configFile: string, bundleFile: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, configFile, bundleFile], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const errors: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  createInterface({ input: child.stderr }).on('line', (line) => errors.push(line));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));

  const end = async (signal: NodeJS.Signals) => {
    if (!gone) child.kill(signal);
    await exited;
  };
  try {
    await waitUntil(
      'the worker is ready',
      () => {
        if (gone) throw new Error(`the worker process exited before it was ready:\n${errors.join('\n')}`);
        return lines.includes('ready');
      },
      READY_TIMEOUT_MS,
    );
  } catch (error) {
    await end('SIGKILL');
    throw error;
  }
  return { lines, pid: child.pid!, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}
