/**
 * Reading account files for import: CSV cells converted by field type, JSON and JSON Lines
 * rows, every problem reported with the row's position as the user sees it, and files that
 * do not parse at all reported once with their position.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../src/cli/exit-code.js';
import { UserError } from '../../src/errors.js';
import { invalidRowCount, parseAccountFile, problemLines } from '../../src/accounts/import/parse.js';
import { readAccountSource, type AccountFileFormat } from '../../src/accounts/import/source.js';
import { lineProgress, PROGRESS_LINE_INTERVAL_MS } from '../../src/accounts/import/progress.js';
import type { Fields } from '../../src/accounts/validate.js';
import { compileFile } from '../../src/compile/compile.js';

const FIXTURES = path.join(import.meta.dirname, 'fixtures');
const SAMPLES = path.join(import.meta.dirname, '..', '..', 'playbooks', 'accounts');

const fields: Fields = {
  name: { type: 'text' },
  arr: { type: 'number' },
  renewal_date: { type: 'date' },
  strategic: { type: 'yes/no' },
  segment: { type: 'one of', values: ['smb', 'mid-market', 'enterprise'] },
};

function parse(format: AccountFileFormat, text: string, file = `accounts.${format}`) {
  return parseAccountFile({ file, format, text }, fields);
}

/** The UserError a file that cannot be read as a whole raises. */
function fileError(format: AccountFileFormat, text: string): UserError {
  try {
    parse(format, text);
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected the file to be refused');
}

describe('CSV', () => {
  it('converts cells by field type and leaves empty cells out', () => {
    const parsed = parse(
      'csv',
      ['id,name,arr,renewal_date,strategic,segment', 'a1,"Acme, Inc.",52000.5,2026-06-30,Yes,enterprise', 'a2,Globex,,,false,', 'a3, Initech ,-3,,no,smb'].join(
        '\n',
      ),
    );
    expect(parsed.problems).toEqual([]);
    expect(parsed.accounts).toEqual([
      { id: 'a1', name: 'Acme, Inc.', arr: 52000.5, renewal_date: '2026-06-30', strategic: true, segment: 'enterprise' },
      { id: 'a2', name: 'Globex', strategic: false },
      { id: 'a3', name: 'Initech', arr: -3, strategic: false, segment: 'smb' },
    ]);
  });

  it('reports every bad row with its line number and field, counting the header as line 1', () => {
    const parsed = parse(
      'csv',
      [
        'id,name,arr,renewal_date,strategic,segment',
        'a1,Acme,52000,2026-06-30,yes,enterprise',
        'a2,Globex,lots,next year,yes,smb',
        '',
        'a3,Initech,1000,2026-01-01,maybe,enterprize',
        ',Nameless,1,,,',
        'a5,Short,1',
      ].join('\n'),
    );
    expect(problemLines(parsed)).toEqual([
      'accounts.csv:3: account.arr: expected a number, got "lots"',
      'accounts.csv:3: account.renewal_date: expected a date YYYY-MM-DD, got "next year"',
      'accounts.csv:5: account.strategic: expected yes/no (true or false), got "maybe"',
      'accounts.csv:5: account.segment: expected one of smb, mid-market, enterprise, got "enterprize"',
      'accounts.csv:6: account.id: expected a non-empty text id, got nothing',
      'accounts.csv:7: expected 6 cells (one per column), got 3',
    ]);
    expect(parsed.accounts.map((a) => a.id)).toEqual(['a1']);
    expect(parsed.rows).toBe(5);
    expect(invalidRowCount(parsed)).toBe(4);
  });

  it('numbers rows by the line they start on when a quoted cell spans lines', () => {
    const parsed = parse('csv', ['id,name,arr', 'a1,"two', 'lines",1', '  ', 'a2,Globex,x', 'a3,"Zürich', '",y'].join('\r\n'));
    expect(problemLines(parsed)).toEqual([
      'accounts.csv:5: account.arr: expected a number, got "x"',
      'accounts.csv:6: account.arr: expected a number, got "y"',
    ]);
    expect(parsed.accounts[0]!.name).toBe('two\r\nlines');
  });

  it('reports a repeated id on the later row, naming the first', () => {
    const parsed = parse('csv', ['id,name', 'a1,Acme', 'a2,Globex', 'a1,Acme again'].join('\n'));
    expect(problemLines(parsed)).toEqual(['accounts.csv:4: account.id: "a1" appears again (first on line 2)']);
    expect(parsed.accounts.map((a) => a.name)).toEqual(['Acme', 'Globex']);
  });

  it('refuses a header with an unknown column, suggesting the declared field', () => {
    const error = fileError('csv', ['id,name,renwal_date,colour', 'a1,Acme,2026-01-01,red'].join('\n'));
    expect(error.message.split('\n')).toEqual([
      'accounts.csv:1: column "renwal_date" is not a declared account field; did you mean `renewal_date`?',
      'accounts.csv:1: column "colour" is not a declared account field',
    ]);
    expect(exitCodeOf(error.kind)).toBe(1);
  });

  it('refuses a header without an id column or with a repeated column', () => {
    expect(fileError('csv', 'name,arr,name\nAcme,1,Acme\n').message.split('\n')).toEqual([
      'accounts.csv:1: column "name" appears twice',
      'accounts.csv:1: no "id" column: the header row names the columns, and one of them is "id"',
    ]);
  });

  it('reports bad quoting once, at the line of the record it is in', () => {
    expect(fileError('csv', ['id,name', 'a1,Acme', 'a2,"Globex"x', 'a3,Initech'].join('\n')).message).toBe(
      'accounts.csv:3: not valid CSV: text after the closing quote of a cell (a quote inside a quoted cell is written "")',
    );
    expect(fileError('csv', ['id,name', 'a1,Acme', '', 'a2,"Globex', 'a3,Initech', 'a4,Umbrella'].join('\n')).message).toBe(
      'accounts.csv:4: not valid CSV: a quoted cell is never closed',
    );
  });

  it('reads an empty file as no rows', () => {
    expect(parse('csv', '').rows).toBe(0);
    expect(parse('csv', 'id,name\n').rows).toBe(0);
  });
});

describe('JSON', () => {
  it('reads an array or { "accounts": [...] }, reporting rows by index', () => {
    const rows = [{ id: 'a1', arr: 1 }, { id: 'a2', arr: 'many' }, 'not an account', { id: 'a1' }];
    for (const text of [JSON.stringify(rows), JSON.stringify({ accounts: rows })]) {
      const parsed = parse('json', text);
      expect(problemLines(parsed)).toEqual([
        'accounts.json: accounts[1]: account.arr: expected a number, got "many"',
        'accounts.json: accounts[2]: account: expected a JSON object with an "id" and the declared fields, got "not an account"',
        'accounts.json: accounts[3]: account.id: "a1" appears again (first on accounts[0])',
      ]);
      expect(parsed.accounts).toEqual([{ id: 'a1', arr: 1 }]);
    }
  });

  it('refuses JSON that does not parse with its line and column, and JSON of another shape', () => {
    expect(fileError('json', '[\n  {"id": "a1"},\n  {"id": "a2",}\n]').message).toBe(
      'accounts.json:3:15: not valid JSON: Expected double-quoted property name',
    );
    expect(fileError('json', '[{"id": "a1"}').message).toMatch(/^accounts\.json:1:14: not valid JSON: /);
    expect(fileError('json', '{"id": "a1"}').message).toBe('accounts.json: expected an array of accounts or { "accounts": [...] }, got {"id":"a1"}');
  });
});

describe('JSON Lines', () => {
  it('reads one account per line, reporting rows by line and skipping blank lines', () => {
    const parsed = parse('jsonl', ['{"id": "a1", "arr": 1}', '', '{"id": "a2", "arr": "x"}', '{"id": "a3",', '{"id": "a1"}', ''].join('\n'));
    expect(problemLines(parsed)).toEqual([
      'accounts.jsonl:3: account.arr: expected a number, got "x"',
      'accounts.jsonl:4: not valid JSON at column 13: Expected double-quoted property name',
      'accounts.jsonl:5: account.id: "a1" appears again (first on line 1)',
    ]);
    expect(parsed.rows).toBe(4);
    expect(parsed.accounts.map((a) => a.id)).toEqual(['a1']);
  });
});

describe('account files on disk', () => {
  let reference: Fields;
  beforeAll(async () => {
    reference = (await compileFile(path.join(SAMPLES, '..', 'renewal-readiness.playbook'))).program.fields;
  });

  it('reads the sample accounts CSV as the sample account JSON files', async () => {
    const parsed = parseAccountFile(await readAccountSource(path.join(FIXTURES, 'sample-accounts.csv')), reference);
    expect(parsed.problems).toEqual([]);
    const { default: acme } = await import('../../playbooks/accounts/acme-enterprise.json');
    expect(parsed.accounts[0]).toEqual(acme);
    expect(parsed.accounts.map((a) => a.id)).toEqual(['acct-acme-001', 'acct-globex-014', 'acct-initech-027']);
  });

  it('reports each bad row of the bad fixture', async () => {
    const file = path.join(FIXTURES, 'bad-accounts.csv');
    const parsed = parseAccountFile(await readAccountSource(file), reference);
    expect(problemLines(parsed)).toEqual([
      `${file}:3: account.renewal_date: expected a date YYYY-MM-DD, got "next year"`,
      `${file}:4: account.health: expected a number, got "high"`,
      `${file}:4: account.segment: expected one of smb, mid-market, enterprise, got "enterprize"`,
      `${file}:6: account.id: "acct-hooli-031" appears again (first on line 2)`,
    ]);
    expect(parsed.accounts.map((a) => a.id)).toEqual(['acct-hooli-031', 'acct-vandelay-060']);
  });

  it('tells the format by extension and refuses others or missing files as usage errors', async () => {
    await expect(readAccountSource('accounts.txt')).rejects.toMatchObject({
      message: 'cannot tell the format of accounts.txt: name it .csv, .json, .jsonl or .ndjson',
      kind: 'usage',
    });
    await expect(readAccountSource(path.join(FIXTURES, 'missing.ndjson'))).rejects.toMatchObject({
      message: expect.stringMatching(/no such file$/),
      kind: 'usage',
    });
  });
});

describe('plain progress lines', () => {
  it('prints a line at most every interval and none at the end', () => {
    let now = 0;
    const lines: string[] = [];
    const progress = lineProgress(
      (t) => lines.push(t),
      100,
      () => now,
    );
    for (let done = 1; done <= 100; done++) {
      now += 100;
      progress.update(done);
    }
    expect(lines).toHaveLength(Math.floor((100 * 100 - 1) / PROGRESS_LINE_INTERVAL_MS));
    expect(lines[0]).toBe('imported 20/100 accounts (10/s)\n');
  });
});
