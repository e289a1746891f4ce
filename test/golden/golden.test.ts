import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkDiagnosticCodes } from '../../src/check/codes.js';
import { syntaxDiagnosticCodes } from '../../src/language/syntax-codes.js';
import { listCases, renderCase } from './golden-cases.js';

const cases = listCases();

describe('golden diagnostics', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s renders as reviewed', async (_, c) => {
    expect(existsSync(c.expected), `missing ${c.expected}: review the output, then run npx tsx scripts/accept-golden.ts ${c.name}`).toBe(true);
    const actual = await renderCase(c);
    expect(actual).toBe(readFileSync(c.expected, 'utf8'));
    expect(actual).toContain(`[${c.code}]`);
  });

  it('has a case for every diagnostic code', () => {
    const known = [...Object.keys(syntaxDiagnosticCodes), ...Object.keys(checkDiagnosticCodes)];
    const covered = new Set(cases.map((c) => c.code));
    expect(known.filter((code) => !covered.has(code))).toEqual([]);
  });
});
