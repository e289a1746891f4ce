import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEPCRUISE = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface CruiseJson {
  summary: { violations: { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] }[] };
}

/** Every rule violation dependency-cruiser finds cruising `entry` with `config`, one line each. */
async function violations(entry: string, config: string): Promise<string[]> {
  const run = promisify(execFile)(process.execPath, [DEPCRUISE, entry, '--config', config, '--output-type', 'json'], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  // The exit code is the number of violations: the report is on stdout either way.
  const { stdout } = await run.catch((e: { stdout?: string }) => {
    if (typeof e.stdout === 'string' && e.stdout.startsWith('{')) return { stdout: e.stdout };
    throw e;
  });
  const result = JSON.parse(stdout) as CruiseJson;
  return result.summary.violations.map((v) => {
    const cycle = v.cycle === undefined ? '' : ` (cycle: ${v.cycle.map((c) => c.name).join(' → ')})`;
    return `${v.rule.name}: ${v.from} → ${v.to}${cycle}`;
  });
}

describe('dependency rules (.dependency-cruiser*.cjs)', () => {
  it('finds no upward import and no import cycle in src/', async () => {
    expect(await violations('src', '.dependency-cruiser.cjs')).toEqual([]);
  });

  it('keeps the workflow bundle inside the workflow-side modules and packages', async () => {
    expect(await violations('src/temporal/workflows.ts', '.dependency-cruiser.bundle.cjs')).toEqual([]);
  });
});
