import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { findFile, loadWorkspace, loadWorkspaceForFile } from '../../src/workspace/load.js';

function workspaceDir(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'pb-load-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

describe('loadWorkspace', () => {
  it('reads .playbook files recursively in sorted order, skipping dot-folders, and templates/*.md', async () => {
    const dir = workspaceDir({
      'b.playbook': 'playbook b\n  note "b"\n',
      'sub/a.playbook': 'playbook a\n  note "a"\n',
      '.hidden/c.playbook': 'playbook c\n  note "c"\n',
      'notes.txt': 'not a playbook',
      'templates/welcome.md': 'Subject: Hi\n\nBody\n',
      'templates/nested/skip.md': 'Subject: Hi\n\nBody\n',
    });
    const ws = await loadWorkspace(dir);
    expect(ws.files.map((f) => f.relPath)).toEqual(['b.playbook', 'sub/a.playbook']);
    expect(ws.files[1]!.path).toBe(path.join(dir, 'sub', 'a.playbook'));
    expect(ws.templates.map((t) => t.name)).toEqual(['welcome']);
    expect(ws.sources.get(path.join(dir, 'b.playbook'))).toBe('playbook b\n  note "b"\n');
    expect(ws.diagnostics).toEqual([]);
  });

  it('fails with a one-line usage error for a missing path or a file given as folder', async () => {
    const dir = workspaceDir({ 'a.playbook': 'playbook a\n' });
    await expect(loadWorkspace(path.join(dir, 'nope'))).rejects.toMatchObject({ kind: 'usage', message: expect.stringContaining('no such file or folder') });
    await expect(loadWorkspace(path.join(dir, 'a.playbook'))).rejects.toBeInstanceOf(UserError);
  });

  it('strips a byte-order mark', async () => {
    const dir = workspaceDir({ 'a.playbook': '\uFEFFplaybook a\n  note "x"\n' });
    const ws = await loadWorkspace(dir);
    expect(ws.files[0]!.text.startsWith('playbook')).toBe(true);
  });
});

describe('loadWorkspaceForFile', () => {
  it("uses the file's folder as the workspace", async () => {
    const dir = workspaceDir({ 'a.playbook': 'playbook a\n  run playbook b\n', 'b.playbook': 'playbook b\n  note "b"\n' });
    const { workspace, file } = await loadWorkspaceForFile(path.join(dir, 'a.playbook'));
    expect(file.relPath).toBe('a.playbook');
    expect(workspace.files).toHaveLength(2);
  });

  it('adds a file from outside a --workspace folder', async () => {
    const ws = workspaceDir({ 'b.playbook': 'playbook b\n  note "b"\n' });
    const other = workspaceDir({ 'a.playbook': 'playbook a\n  run playbook b\n' });
    const { workspace, file } = await loadWorkspaceForFile(path.join(other, 'a.playbook'), ws);
    expect(workspace.files.map((f) => f.path).sort()).toEqual([path.join(other, 'a.playbook'), path.join(ws, 'b.playbook')].sort());
    expect(findFile(workspace, path.join(other, '.', 'a.playbook'))).toBe(file);
  });

  it('rejects a folder given as file', async () => {
    const dir = workspaceDir({});
    await expect(loadWorkspaceForFile(dir)).rejects.toMatchObject({ kind: 'usage', message: `not a file: ${dir}` });
  });
});
