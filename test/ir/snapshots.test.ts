import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWorkspace } from '../../src/check/check.js';
import { versionOf } from '../../src/ir/canonical.js';
import { lowerPlaybook } from '../../src/ir/lower.js';
import { parseIr } from '../../src/ir/schema.js';
import { loadWorkspace } from '../../src/workspace/load.js';

const { diagnostics, model } = checkWorkspace(await loadWorkspace(path.resolve(import.meta.dirname, '../../playbooks')));
const ids = [...model.playbooks.keys()].sort();

describe('IR of the reference playbooks', () => {
  it('the reference workspace checks without errors and has playbooks', () => {
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(ids.length).toBeGreaterThan(0);
  });

  for (const id of ids) {
    it(`${id} lowers to the reviewed IR`, async () => {
      const program = lowerPlaybook(model, id);
      expect(parseIr(JSON.parse(JSON.stringify(program)))).toEqual(program);
      const snapshot = `${JSON.stringify({ version: versionOf(program), ir: program }, null, 2)}\n`;
      await expect(snapshot).toMatchFileSnapshot(`__snapshots__/${id}.ir.json`);
    });
  }
});
