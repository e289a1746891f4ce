/**
 * A workspace's source texts, read from disk without parsing them: `load.ts` parses what
 * this reads, and `playbook check` hashes it first, so a result it has cached is shown
 * without loading the parser.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../errors.js';
import { compareStrings } from '../util/compare-strings.js';
import type { SourceText } from './types.js';

const PLAYBOOK_EXT = '.playbook';
const TEMPLATE_EXT = '.md';
const TEMPLATES_DIR = 'templates';

export interface WorkspaceSources {
  dir: string;
  /** The `*.playbook` files, then the extra files, as `buildWorkspace` takes them. */
  playbooks: SourceText[];
  templates: SourceText[];
}

/**
 * Reads every `*.playbook` file under `dir` (recursively, skipping dot-folders) and every
 * `templates/*.md`. Paths are `dir` joined with the file's relative path, so they read the
 * way the user typed the folder. `extraFiles` are added when they are not already part of it
 * (a file outside the folder, or not named `*.playbook`). A missing or unreadable folder or
 * file is a UserError (exit code 2).
 */
export async function readWorkspaceSources(dir: string, extraFiles: readonly string[] = []): Promise<WorkspaceSources> {
  await requireKind(dir, 'folder');
  await Promise.all(extraFiles.map((file) => requireKind(file, 'file')));
  const playbookRels = await listFiles(dir, '', (name) => name.endsWith(PLAYBOOK_EXT));
  const listed = new Set(playbookRels.map((rel) => path.resolve(dir, rel)));
  const extras = [...new Set(extraFiles.map((file) => path.resolve(file)))].filter((file) => !listed.has(file));
  const templateRels = await listTemplates(dir);
  const [playbooks, extraSources, templates] = await Promise.all([
    Promise.all(playbookRels.map((rel) => readSource(dir, rel))),
    Promise.all(extras.map((file) => readSource(dir, path.relative(dir, file)))),
    Promise.all(templateRels.map((rel) => readSource(dir, rel))),
  ]);
  return { dir, playbooks: [...playbooks, ...extraSources], templates };
}

/** Whether `p` is a folder (true) or a file (false); a missing path is a UserError. */
export async function isFolder(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch (e) {
    throw readError(p, e);
  }
}

async function requireKind(p: string, kind: 'file' | 'folder'): Promise<void> {
  const folder = await isFolder(p);
  if (kind === 'folder' && !folder) throw new UserError(`not a folder: ${p}`, 'usage');
  if (kind === 'file' && folder) throw new UserError(`not a file: ${p}`, 'usage');
}

/** Relative paths (with `/`) of the files under `dir/rel` that `want` accepts, sorted. */
async function listFiles(dir: string, rel: string, want: (name: string) => boolean): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(path.join(dir, rel), { withFileTypes: true });
  } catch (e) {
    throw readError(path.join(dir, rel), e);
  }
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
    if (entry.isDirectory()) found.push(...(await listFiles(dir, child, want)));
    else if ((entry.isFile() || entry.isSymbolicLink()) && want(entry.name)) found.push(child);
  }
  return found.sort(compareStrings);
}

async function listTemplates(dir: string): Promise<string[]> {
  try {
    if (!(await stat(path.join(dir, TEMPLATES_DIR))).isDirectory()) return [];
  } catch {
    return [];
  }
  const names = await listFiles(dir, TEMPLATES_DIR, (name) => name.endsWith(TEMPLATE_EXT));
  // Templates are `templates/<name>.md`, not nested folders.
  return names.filter((rel) => rel.split('/').length === 2);
}

async function readSource(dir: string, rel: string): Promise<SourceText> {
  const display = path.join(dir, rel);
  let text: string;
  try {
    text = await readFile(display, 'utf8');
  } catch (e) {
    throw readError(display, e);
  }
  // A byte-order mark is invisible to authors; keep it out of columns and tokens.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  return { path: display, relPath: toPosix(rel), text };
}

function readError(p: string, e: unknown): UserError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new UserError(`no such file or folder: ${p}`, 'usage');
  if (code === 'EACCES' || code === 'EPERM') return new UserError(`cannot read ${p}: permission denied`, 'usage');
  if (code === 'EISDIR') return new UserError(`not a file: ${p}`, 'usage');
  return new UserError(`cannot read ${p}: ${code ?? String(e)}`, 'usage');
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}
