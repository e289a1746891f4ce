/**
 * Golden diagnostic cases: `cases/<code>-<slug>.playbook` (checked as a workspace of that one
 * file) or `cases/<code>-<slug>/` (a workspace folder, for templates or several files),
 * each beside its reviewed rendered output `cases/<code>-<slug>.errors.txt`. Shared by the
 * golden test and `scripts/accept-golden.ts`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkWorkspace } from '../../src/check/check.js';
import { renderText } from '../../src/diagnostics/render.js';
import { buildWorkspace } from '../../src/workspace/build.js';
import { loadWorkspace } from '../../src/workspace/load.js';

const CASES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cases');

export interface GoldenCase {
  name: string;
  /** The diagnostic code the case is about: its name's prefix. */
  code: string;
  /** The case's `.playbook` file or folder, relative to the current directory (so rendered paths are stable). */
  input: string;
  /** Its `.errors.txt` file. */
  expected: string;
}

export function listCases(): GoldenCase[] {
  return readdirSync(CASES_DIR)
    .filter((entry) => entry.endsWith('.playbook') || statSync(path.join(CASES_DIR, entry)).isDirectory())
    .sort()
    .map((entry) => {
      const name = entry.replace(/\.playbook$/, '');
      return {
        name,
        code: name.split('-')[0]!,
        input: path.relative(process.cwd(), path.join(CASES_DIR, entry)),
        expected: path.join(CASES_DIR, `${name}.errors.txt`),
      };
    });
}

/** The case's diagnostics as `playbook check` renders them, without colour. */
export async function renderCase(c: GoldenCase): Promise<string> {
  const workspace = c.input.endsWith('.playbook')
    ? buildWorkspace(path.dirname(c.input), [{ path: c.input, relPath: path.basename(c.input), text: readFileSync(c.input, 'utf8') }])
    : await loadWorkspace(c.input);
  const { diagnostics } = checkWorkspace(workspace);
  return renderText(diagnostics, workspace.sources, { color: false });
}
