/**
 * What a `playbook` process loads. Commands define their options cheaply and import what
 * their action needs when it runs, so `playbook --help` and every other command do not pay
 * for the parser, zod, calendars or Temporal; a run of one command loads that command's
 * module alone; the front end loads chevrotain's one-file build.
 * `playbook check` of sources whose result it has stored loads neither parser nor checker.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const HOOKS = pathToFileURL(path.join(ROOT, 'test/cli/fixtures/record-loads.mjs')).href;
const dir = mkdtempSync(path.join(tmpdir(), 'pb-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The URLs of the modules a child process loads while running `script` (an ES module body). */
function modulesLoadedBy(script: string): string[] {
  const record = path.join(dir, `loads-${Math.random().toString(36).slice(2)}.txt`);
  const register = `data:text/javascript,import { register } from 'node:module'; register(${JSON.stringify(HOOKS)});`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--import', register, '--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...process.env, RECORD_LOADS_TO: record },
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(child.stderr).toBe('');
  expect(child.status).toBe(0);
  return readFileSync(record, 'utf8').trim().split('\n');
}

/** The packages among `urls` (`commander`, `@temporalio/client`). */
function packages(urls: string[]): string[] {
  const names = urls.map((u) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(u)?.[1]).filter((n) => n !== undefined);
  return [...new Set(names)].sort();
}

describe('process start-up', () => {
  it('`playbook --help` loads no package but commander', () => {
    const loaded = modulesLoadedBy(`
      import { main } from './src/cli/main.ts';
      import { bufferIo } from './src/cli/io.ts';
      const io = bufferIo();
      if (await main(['--help'], io) !== 0 || !io.stdout().includes('check')) process.exit(1);
    `);
    expect(packages(loaded)).toEqual(['commander']);
  });

  it('parsing loads chevrotain as one file, not its tree of lodash-es modules', () => {
    const loaded = modulesLoadedBy(`
      import { parseSource } from './src/language/parse.ts';
      if (parseSource('account fields\\n  name: text\\n', 'a.playbook').diagnostics.length > 0) process.exit(1);
    `);
    expect(packages(loaded)).toEqual(['chevrotain']);
    expect(loaded.filter((u) => u.includes('/node_modules/chevrotain/'))).toEqual([
      // Through the real path: node_modules may be a link (a worktree sharing one).
      pathToFileURL(realpathSync(path.join(ROOT, 'node_modules/chevrotain/lib/chevrotain.mjs'))).href,
    ]);
  });

  it('a `playbook check` whose result is stored loads no package but commander, and no front end', () => {
    const workspace = path.join(dir, 'workspace');
    cpSync(path.join(ROOT, 'playbooks'), workspace, { recursive: true });
    const check = `
      import { main } from './src/cli/main.ts';
      import { bufferIo } from './src/cli/io.ts';
      const io = bufferIo();
      if (await main(['check', ${JSON.stringify(workspace)}], io) !== 0 || !io.stdout().includes('no problems')) process.exit(1);
    `;
    expect(packages(modulesLoadedBy(check))).toContain('chevrotain');
    const cached = modulesLoadedBy(check);
    expect(packages(cached)).toEqual(['commander']);
    expect(cached.filter((u) => /\/src\/(language|check\/checks|calendar)\//.test(u))).toEqual([]);
  });

  it('a `playbook check` loads no other command, no store, Temporal or console, and reads no holiday data', () => {
    const workspace = path.join(dir, 'check-afresh');
    cpSync(path.join(ROOT, 'playbooks'), workspace, { recursive: true });
    // Files read through node:fs (the checker once read date-holidays' data file this way).
    const loaded = modulesLoadedBy(`
      import fs from 'node:fs';
      import { syncBuiltinESMExports } from 'node:module';
      const read = fs.readFileSync;
      const files = [];
      fs.readFileSync = (file, ...rest) => (files.push(String(file)), read(file, ...rest));
      syncBuiltinESMExports();
      const { main } = await import('./src/cli/main.ts');
      const { bufferIo } = await import('./src/cli/io.ts');
      const io = bufferIo();
      if (await main(['check', ${JSON.stringify(workspace)}, '--no-cache'], io) !== 0 || !io.stdout().includes('no problems')) process.exit(1);
      const holidayData = files.filter((f) => f.includes('date-holidays'));
      if (holidayData.length > 0) console.error('read ' + holidayData.join(', '));
    `);
    expect(readFileSync(path.join(workspace, 'calendars.playbook'), 'utf8')).toMatch(/holidays "US"/);
    expect(loaded.filter((u) => u.includes('/src/cli/commands/')).map((u) => path.basename(u))).toEqual(['index.ts', 'check.ts']);
    expect(loaded.filter((u) => /\/src\/(store|temporal|console|ops|api)\//.test(u))).toEqual([]);
    expect(packages(loaded)).toEqual(['chevrotain', 'commander', 'luxon']);
  });
});
