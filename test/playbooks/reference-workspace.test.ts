/**
 * The reference workspace in `playbooks/` is what authors copy from and what the demo runs:
 * it must check clean, its sample accounts must fit its account fields, and nothing in it
 * may be dead weight (an unused field or template misleads whoever copies it).
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateAccount } from '../../src/accounts/validate.js';
import { checkWorkspace } from '../../src/check/check.js';
import { compileFile } from '../../src/compile/compile.js';
import type { FieldTypeIr } from '../../src/ir/types.js';
import { loadWorkspace } from '../../src/workspace/load.js';

const WORKSPACE = 'playbooks';

async function checked() {
  const workspace = await loadWorkspace(WORKSPACE);
  return { workspace, ...checkWorkspace(workspace) };
}

async function jsonFiles(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.endsWith('.json')).map((name) => path.join(dir, name));
}

describe('reference workspace', () => {
  it('checks with no errors and no warnings', async () => {
    const { diagnostics } = await checked();
    expect(diagnostics.map((d) => `${d.span.file}:${d.span.start.line} ${d.code} ${d.message}`)).toEqual([]);
  });

  it('has sample accounts that fit the account fields and fill every field', async () => {
    const { model } = await checked();
    const fields: Record<string, FieldTypeIr> = Object.fromEntries([...model.fields].map(([name, symbol]) => [name, symbol.type]));
    const files = await jsonFiles(path.join(WORKSPACE, 'accounts'));
    expect(files.length).toBeGreaterThanOrEqual(3);
    for (const file of files) {
      const data: unknown = JSON.parse(await readFile(file, 'utf8'));
      const result = validateAccount(fields, data);
      expect(result.ok ? [] : result.errors, file).toEqual([]);
      expect(Object.keys(data as object).sort(), file).toEqual(['id', ...Object.keys(fields)].sort());
    }
  });

  it('uses every declared field, every template and every calendar', async () => {
    const { workspace, model } = await checked();
    const used = { fields: new Set<string>(), templates: new Set<string>(), calendars: new Set<string>() };
    for (const file of workspace.files) {
      for (const decl of file.ast.declarations) {
        if (decl.kind !== 'playbook') continue;
        const { program } = await compileFile(file.path, { playbook: decl.id.name });
        // Field references sit at any depth of the IR (expressions, recipients, `set`, calendars, templates).
        for (const match of JSON.stringify(program).matchAll(/"field":"([^"]+)"/g)) used.fields.add(match[1]!);
        for (const name of Object.keys(program.templates)) used.templates.add(name);
        for (const id of Object.keys(program.calendars)) used.calendars.add(id);
      }
    }
    expect([...model.fields.keys()].filter((f) => !used.fields.has(f))).toEqual([]);
    expect(workspace.templates.map((t) => t.name).filter((t) => !used.templates.has(t))).toEqual([]);
    expect([...model.calendars.keys()].filter((c) => !used.calendars.has(c))).toEqual([]);
  });
});
