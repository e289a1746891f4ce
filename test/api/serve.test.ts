/**
 * `playbook serve` as its own process against a real dev server: it listens where the
 * flags say, answers, and on SIGTERM stops gracefully with exit code 0.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/servers/dev-server.js';
import { findFreePort } from '../../src/servers/ports.js';
import { eventually } from '../ops/helpers.js';

const CLI = path.join(import.meta.dirname, 'fixtures', 'playbook-cli.ts');

describe('playbook serve', () => {
  let dir: string;
  let server: DevServer;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'api-serve-'));
    server = await startDevServer({ uiPort: false });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listens on --port, logs JSON lines, and stops on SIGTERM with exit code 0', async () => {
    const configFile = path.join(dir, 'playbook.config.json');
    writeFileSync(configFile, JSON.stringify({ dataDir: path.join(dir, 'data'), temporal: { address: server.address }, api: { port: 1 } }));
    const port = await findFreePort();
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'serve', '--config', configFile, '--port', String(port)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout: string[] = [];
    const stderr: string[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => stdout.push(line));
    createInterface({ input: child.stderr }).on('line', (line) => stderr.push(line));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await eventually(async () => expect(stderr.join('\n')).toContain(`API listening on http://127.0.0.1:${port}`), 300);
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', temporal: 'up' });
      const unauthorized = await fetch(`http://127.0.0.1:${port}/v1/runs`);
      expect(unauthorized.status).toBe(401);
      const logged = stdout.map((line) => JSON.parse(line) as { msg: string; level: number });
      expect(logged).toContainEqual(expect.objectContaining({ msg: expect.stringContaining('no API tokens yet') }));
      expect(logged).toContainEqual(expect.objectContaining({ msg: 'API listening', url: `http://127.0.0.1:${port}` }));
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr.join('\n')).toContain('API stopped');
  });
});
