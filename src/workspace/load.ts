import path from 'node:path';
import { buildWorkspace } from './build.js';
import { readWorkspaceSources } from './read.js';
import type { PlaybookFile, Workspace } from './types.js';

/**
 * Reads the workspace in `dir` (see `readWorkspaceSources`: its `*.playbook` files, its
 * `templates/*.md` and `extraFiles`) and parses it. A missing or unreadable folder or file
 * is a UserError (exit code 2).
 */
export async function loadWorkspace(dir: string, extraFiles: readonly string[] = []): Promise<Workspace> {
  const { playbooks, templates } = await readWorkspaceSources(dir, extraFiles);
  return buildWorkspace(dir, playbooks, templates);
}

/**
 * Loads the workspace of a single file: its folder, or `workspaceDir` when given. `file` is
 * the file's path as diagnostics show it.
 */
export async function loadWorkspaceForFile(file: string, workspaceDir?: string): Promise<{ workspace: Workspace; file: PlaybookFile }> {
  const workspace = await loadWorkspace(workspaceDir ?? path.dirname(file), [file]);
  return { workspace, file: findFile(workspace, file)! };
}

/** The workspace's file at `file` (any spelling of the same path), if it has one. */
export function findFile(workspace: Workspace, file: string): PlaybookFile | undefined {
  const target = path.resolve(file);
  return workspace.files.find((f) => path.resolve(f.path) === target);
}
