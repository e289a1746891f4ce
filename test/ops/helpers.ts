/**
 * The operator tests' set-up: a copy of the trial workspace, account files, a configuration
 * file pointing at a real dev server, and the CLI run in-process against it.
 */
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

export const FIXTURE = path.join(import.meta.dirname, 'fixtures', 'trial');

export interface Sandbox {
  dir: string;
  /** The copied trial workspace's playbook file. */
  playbook: string;
  configFile: string;
  /** Writes `accounts/<id>.json` and returns its path. */
  account(data: Record<string, unknown>): string;
  /** Rewrites the configuration for a server at `address` (state in the sandbox). */
  configure(address: string): void;
}

export function sandbox(prefix: string): Sandbox {
  const dir = mkdtempSync(path.join(tmpdir(), `${prefix}-`));
  cpSync(FIXTURE, path.join(dir, 'workspace'), { recursive: true });
  const configFile = path.join(dir, 'playbook.config.json');
  return {
    dir,
    playbook: path.join(dir, 'workspace', 'trial.playbook'),
    configFile,
    account(data) {
      const file = path.join(dir, `${String(data.id)}.json`);
      writeFileSync(file, JSON.stringify(data));
      return file;
    },
    configure(address) {
      writeFileSync(configFile, JSON.stringify({ dataDir: path.join(dir, 'data'), temporal: { address, taskQueue: 'ops-tests' } }));
    },
  };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `playbook <args> --config <file>` in this process. */
export async function cli(configFile: string, ...args: string[]): Promise<CliResult> {
  const io = bufferIo();
  const code = await main([...args, '--config', configFile], io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

/** `playbook status <run> --json`, parsed. */
export async function statusOf(configFile: string, run: string): Promise<Record<string, unknown> & { stage: string; status: string; version: string }> {
  const result = await cli(configFile, 'status', run, '--json');
  if (result.code !== 0) throw new Error(`status ${run} failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Record<string, unknown> & { stage: string; status: string; version: string };
}

/**
 * Retries `check` until it stops throwing: runs move on, and visibility catches up, a moment
 * after the command that moved them returned. Gives up after `attempts`.
 */
export async function eventually<T>(check: () => Promise<T>, attempts = 100): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await check();
    } catch (e) {
      if (i >= attempts) throw e;
      await delay(200);
    }
  }
}
