/**
 * The tree is formatted by prettier with the committed .prettierrc.json: a file that is not
 * fails here, naming it (`npm run format` fixes it). Generated files are in .prettierignore.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { FORMATTED } from '../../scripts/format-globs.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PRETTIER = path.join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');

describe('formatting (.prettierrc.json)', () => {
  // Prettier over the whole tree: seconds alone, over a minute on a loaded machine.
  it('finds every TypeScript file formatted', { timeout: 300_000 }, async () => {
    const run = promisify(execFile)(process.execPath, [PRETTIER, '--list-different', ...FORMATTED], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
    // Exit code 1 with the file names on stdout when some are not formatted.
    const { stdout } = await run.catch((e: { code?: number; stdout?: string }) => {
      if (e.code === 1 && typeof e.stdout === 'string') return { stdout: e.stdout };
      throw e;
    });
    expect(stdout.split('\n').filter(Boolean)).toEqual([]);
  });
});
