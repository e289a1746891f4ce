/**
 * JSON the CLI reads from flags and files is refused when it nests deeper than
 * `MAX_JSON_DEPTH`: one clean line, bad data (exit 1), before anything serialises it (it was
 * a stack overflow with a trace in Temporal's payload converter).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readJsonLinesRows, readJsonRows } from '../../src/accounts/import/json.js';
import { readAccountJson } from '../../src/accounts/load.js';
import { exitCodeOf } from '../../src/cli/exit-code.js';
import { UserError } from '../../src/errors.js';
import { parseJsonFlag } from '../../src/ops/cli-input.js';
import { parseEventArg } from '../../src/simulate/inputs.js';

const DEEP = '['.repeat(6000) + ']'.repeat(6000);
const TOO_DEEP = 'nests deeper than 64 levels of arrays and objects';
const dir = mkdtempSync(path.join(tmpdir(), 'cli-deep-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refusal(run: () => unknown): { message: string; exitCode: number } {
  try {
    run();
  } catch (e) {
    if (e instanceof UserError) return { message: e.message, exitCode: exitCodeOf(e.kind) };
    throw e;
  }
  throw new Error('expected a UserError');
}

describe('deeply nested JSON in the CLI', () => {
  it('refuses `--data` that nests 6,000 levels', () => {
    expect(refusal(() => parseJsonFlag('--data', `{"a":${DEEP}}`))).toEqual({ message: `--data ${TOO_DEEP}`, exitCode: 1 });
  });

  it('refuses an account file that nests 6,000 levels', async () => {
    const file = path.join(dir, 'account.json');
    writeFileSync(file, `{"id":"acme","name":${DEEP}}`);
    await expect(readAccountJson(file)).rejects.toMatchObject({ name: 'UserError', kind: 'invalid', message: `account file ${file} ${TOO_DEEP}` });
  });

  it('refuses an import file, and a JSON Lines row, that nests 6,000 levels', () => {
    expect(refusal(() => readJsonRows('accounts.json', `[{"id":"acme","x":${DEEP}}]`))).toEqual({ message: `accounts.json: ${TOO_DEEP}`, exitCode: 1 });
    expect(readJsonLinesRows(`{"id":"a"}\n{"id":"b","x":${DEEP}}\n`).problems).toEqual([{ place: { line: 2 }, message: TOO_DEEP }]);
  });

  it('refuses a simulated event payload that nests 6,000 levels', () => {
    expect(refusal(() => parseEventArg(`usage@+1 day:{"a":${DEEP}}`))).toEqual({
      message: `--event "usage@+1 day:{"a":${DEEP}}": payload ${TOO_DEEP}`,
      exitCode: 1,
    });
  });
});
