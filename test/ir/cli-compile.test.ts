import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { versionOf } from '../../src/ir/canonical.js';
import { parseIr } from '../../src/ir/schema.js';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { FIELDS, TEMPLATE } from './helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'playbook-compile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

writeFileSync(path.join(dir, 'fields.playbook'), FIELDS);
mkdirSync(path.join(dir, 'templates'));
writeFileSync(path.join(dir, 'templates', 'welcome.md'), TEMPLATE);
writeFileSync(path.join(dir, 'one.playbook'), 'playbook one "One"\n  email account.primary_contact template "welcome"\n');
writeFileSync(path.join(dir, 'two.playbook'), 'playbook alpha\n  note "a"\n\nplaybook beta\n  note "b"\n');

const broken = mkdtempSync(path.join(tmpdir(), 'playbook-compile-broken-'));
afterAll(() => rmSync(broken, { recursive: true, force: true }));
writeFileSync(path.join(broken, 'fields.playbook'), FIELDS);
writeFileSync(path.join(broken, 'bad.playbook'), 'playbook bad\n  notify account.csm "Renews {account.renwal_date}"\n');

async function run(...argv: string[]) {
  const io = bufferIo();
  const code = await main(argv, io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

describe('playbook compile', () => {
  it("prints the file's only playbook as IR JSON with its version", async () => {
    const { code, stdout, stderr } = await run('compile', path.join(dir, 'one.playbook'));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const output = JSON.parse(stdout);
    expect(Object.keys(output)).toEqual(['playbook', 'version', 'ir']);
    expect(output.playbook).toBe('one');
    expect(output.version).toBe(versionOf(parseIr(output.ir)));
    expect(stdout).toContain('\n  "version": ');
    expect(Object.keys(output.ir.templates)).toEqual(['welcome']);
  });

  it('picks a playbook with --playbook', async () => {
    const { code, stdout } = await run('compile', path.join(dir, 'two.playbook'), '--playbook', 'beta');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).ir.entry).toBe('beta');
  });

  it('asks for --playbook when the file declares several, listing them', async () => {
    const { code, stdout, stderr } = await run('compile', path.join(dir, 'two.playbook'));
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`playbook: ${path.join(dir, 'two.playbook')} declares 2 playbooks (\`alpha\`, \`beta\`); choose one with --playbook <id>\n`);
  });

  it('names the playbooks of the file when --playbook names another', async () => {
    const { code, stderr } = await run('compile', path.join(dir, 'two.playbook'), '--playbook', 'gamma');
    expect(code).toBe(2);
    expect(stderr).toContain('has no playbook `gamma`; it declares `alpha`, `beta`');
  });

  it('reports a file without playbooks', async () => {
    const { code, stderr } = await run('compile', path.join(dir, 'fields.playbook'));
    expect(code).toBe(2);
    expect(stderr).toContain('declares no playbook');
  });

  it('prints the check errors and exits 1 when the workspace does not check', async () => {
    const { code, stdout, stderr } = await run('compile', path.join(broken, 'bad.playbook'));
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('bad.playbook:2:');
    expect(stderr).toContain('renwal_date');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('reports a missing file as a usage error', async () => {
    const { code, stderr } = await run('compile', path.join(dir, 'nope.playbook'));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^playbook: no such file or folder: /);
  });
});
