/**
 * Finds scenario files: every `*.scenarios.yaml` under the given folders (recursively,
 * skipping dot-folders and node_modules), plus files named directly.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../errors.js';

export const SCENARIO_SUFFIX = '.scenarios.yaml';

export async function findScenarioFiles(paths: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => null);
    if (info === null) throw new UserError(`no such file or folder: ${path}`, 'usage');
    if (info.isDirectory()) found.push(...(await walk(path)));
    else found.push(path);
  }
  return [...new Set(found)];
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await walk(path)));
    else if (entry.name.endsWith(SCENARIO_SUFFIX)) files.push(path);
  }
  return files;
}
