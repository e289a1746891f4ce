import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { FIELDS } from '../ir/helpers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'playbook-graph-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(path.join(dir, 'fields.playbook'), FIELDS);
writeFileSync(path.join(dir, 'main.playbook'), 'playbook p\n  wait 2 days\n  stop with outcome "done"\n\nplaybook q\n  note "q"\n');

describe('playbook graph', () => {
  it('prints the Mermaid flowchart of the chosen playbook', async () => {
    const io = bufferIo();
    const code = await main(['graph', path.join(dir, 'main.playbook'), '--playbook', 'p'], io);
    expect(io.stderr()).toBe('');
    expect(code).toBe(0);
    expect(io.stdout()).toBe(['flowchart TD', '  start(["p"])', '  n0["wait 2 days"]', '  n1(["stop: done"])', '  start --> n0', '  n0 --> n1', ''].join('\n'));
  });

  it('asks for --playbook when the file declares several', async () => {
    const io = bufferIo();
    expect(await main(['graph', path.join(dir, 'main.playbook')], io)).toBe(2);
    expect(io.stderr()).toContain('choose one with --playbook <id>');
  });
});
