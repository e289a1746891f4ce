import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** The calendar modules the Temporal workflow bundle may contain: all but resolve.ts. */
const dir = join(import.meta.dirname, '../../src/calendar');
const pureModules = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'resolve.ts');

describe('the pure calendar modules', () => {
  it.each(pureModules)('%s imports no Node API, no holiday library and not resolve.ts', (file) => {
    const imports = [...readFileSync(join(dir, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
    for (const spec of imports) expect(spec, spec).toMatch(/^(\.\.?\/(?!.*resolve\.js)|luxon$)/);
  });

  it.each(pureModules)('%s reads no clock and no randomness (luxon fromObject reads the clock)', (file) => {
    const source = readFileSync(join(dir, file), 'utf8');
    expect(source).not.toMatch(/Date\.now|new Date\(\)|DateTime\.now|DateTime\.local\(|fromObject|Math\.random/);
  });
});
