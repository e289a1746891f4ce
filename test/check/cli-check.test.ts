import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { FIELDS } from './helpers.js';

function workspaceDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pb-cli-'));
  for (const [rel, text] of Object.entries({ 'fields.playbook': FIELDS, ...files })) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

async function run(...argv: string[]) {
  const io = bufferIo();
  const code = await main(argv, io);
  return { code, out: io.stdout(), err: io.stderr() };
}

const GOOD = 'playbook good "Good"\n  calendar c\n  notify account.csm "hi {account.name}"\n';
const CALENDAR = 'calendar c\n  working days monday to friday\n';
const BAD = 'playbook bad\n  notify account.csm "hi {account.nam}"\n';

describe('playbook check', () => {
  it('exits 0 with a one-line summary for a clean workspace', async () => {
    const dir = workspaceDir({ 'good.playbook': GOOD, 'cal.playbook': CALENDAR });
    const { code, out, err } = await run('check', dir);
    expect({ code, out, err }).toEqual({ code: 0, out: '✓ 3 files, 1 playbook, 1 calendar checked: no problems\n', err: '' });
  });

  it('shows warnings and still exits 0', async () => {
    const dir = workspaceDir({ 'p.playbook': 'playbook p\n  wait 2 business days\n' });
    const { code, out } = await run('check', dir);
    expect(code).toBe(0);
    expect(out).toContain('warning[PB3002]');
    expect(out).toContain('checked: 1 warning');
  });

  it('exits 1 and renders the diagnostics when there are errors', async () => {
    const dir = workspaceDir({ 'bad.playbook': BAD });
    const { code, out } = await run('check', dir);
    expect(code).toBe(1);
    expect(out).toContain(`${path.join(dir, 'bad.playbook')}:2:35: error[PB2010]`);
    expect(out).toContain('= hint: did you mean `name`?');
    expect(out).toMatch(/✗ 2 files, 1 playbook, 0 calendars checked: 1 error\n$/);
  });

  it('prints JSON with --format json', async () => {
    const dir = workspaceDir({ 'bad.playbook': BAD });
    const { code, out } = await run('check', dir, '--format', 'json');
    expect(code).toBe(1);
    expect(JSON.parse(out)).toMatchObject([{ file: path.join(dir, 'bad.playbook'), line: 2, col: 35, code: 'PB2010', severity: 'error' }]);
  });

  it('checks a single file within its folder, showing only its diagnostics', async () => {
    const dir = workspaceDir({ 'good.playbook': GOOD.replace('good', 'good2').concat('  run playbook bad\n'), 'bad.playbook': BAD, 'cal.playbook': CALENDAR });
    const { code, out } = await run('check', path.join(dir, 'good.playbook'));
    expect({ code, out }).toEqual({ code: 0, out: '✓ 1 file, 1 playbook, 0 calendars checked: no problems\n' });
  });

  it('uses --workspace for a single file', async () => {
    const ws = workspaceDir({ 'cal.playbook': CALENDAR });
    const other = workspaceDir({ 'good.playbook': GOOD });
    expect((await run('check', path.join(other, 'good.playbook'), '--workspace', ws)).code).toBe(0);
  });

  it('exits 2 with one line for a missing path, an unknown flag or a bad format', async () => {
    const missing = await run('check', path.join(tmpdir(), 'no-such-playbooks-dir'));
    expect(missing.code).toBe(2);
    expect(missing.err.trim().split('\n')).toHaveLength(1);
    expect(missing.err).toContain('no such file or folder');
    const flag = await run('check', '--colour');
    expect(flag.code).toBe(2);
    expect(flag.err.trim().split('\n')).toHaveLength(1);
    expect((await run('check', '--format', 'xml')).code).toBe(2);
  });
});

describe('playbook check keeps its results in .playbook/check-cache/', () => {
  const cacheDir = (dir: string) => path.join(dir, '.playbook', 'check-cache');
  const entries = (dir: string) => readdirSync(cacheDir(dir)).map((name) => path.join(cacheDir(dir), name));

  it('shows the stored result for unchanged sources, and checks again when a source changes', async () => {
    const dir = workspaceDir({ 'bad.playbook': BAD });
    const first = await run('check', dir);
    expect(first.code).toBe(1);
    expect(entries(dir)).toHaveLength(1);
    expect(await run('check', dir)).toEqual(first);
    writeFileSync(path.join(dir, 'bad.playbook'), BAD.replace('account.nam}', 'account.name}'));
    expect(await run('check', dir)).toMatchObject({ code: 0, out: '✓ 2 files, 1 playbook, 0 calendars checked: no problems\n' });
  });

  it('reads an entry only under its key: a stored result for other sources is not shown', async () => {
    const dir = workspaceDir({ 'bad.playbook': BAD });
    await run('check', dir);
    const [entry] = entries(dir);
    const stored = JSON.parse(readFileSync(entry!, 'utf8')) as { key: string };
    writeFileSync(
      entry!,
      JSON.stringify({
        key: stored.key.replace(/^./, (c) => (c === '0' ? '1' : '0')),
        report: { diagnostics: [], counts: { files: 9, playbooks: 9, calendars: 9 } },
      }),
    );
    expect((await run('check', dir)).code).toBe(1);
  });

  it('treats a corrupt entry as missing and replaces it', async () => {
    const dir = workspaceDir({ 'bad.playbook': BAD });
    const first = await run('check', dir);
    const [entry] = entries(dir);
    for (const garbage of ['', '{"key":', 'null', '{"key":"x","report":{"diagnostics":5}}']) {
      writeFileSync(entry!, garbage);
      expect(await run('check', dir)).toEqual(first);
    }
    expect(JSON.parse(readFileSync(entry!, 'utf8'))).toMatchObject({ report: { counts: { files: 2 } } });
  });

  it('keeps single-file checks apart from the whole workspace', async () => {
    const dir = workspaceDir({ 'good.playbook': GOOD, 'bad.playbook': BAD, 'cal.playbook': CALENDAR });
    expect((await run('check', dir)).code).toBe(1);
    expect(await run('check', path.join(dir, 'good.playbook'))).toMatchObject({ code: 0, out: '✓ 1 file, 1 playbook, 0 calendars checked: no problems\n' });
    expect((await run('check', dir)).code).toBe(1);
    expect(entries(dir)).toHaveLength(2);
  });

  it('writes nothing with --no-cache, and still checks where no entry can be written', async () => {
    const dir = workspaceDir({ 'good.playbook': GOOD, 'cal.playbook': CALENDAR });
    expect((await run('check', dir, '--no-cache')).code).toBe(0);
    expect(existsSync(path.join(dir, '.playbook'))).toBe(false);
    // A file where the cache folder would go: no entry can be written, the check still runs.
    writeFileSync(path.join(dir, '.playbook'), '');
    expect(await run('check', dir)).toMatchObject({ code: 0, err: '' });
  });
});
