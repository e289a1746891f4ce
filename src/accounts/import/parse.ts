/**
 * An account file, validated as a whole before anything is imported: every row is checked
 * against the deployed `account fields` and the bounds of what an entity holds (sizes, the
 * id's alphabet), and an id seen on an earlier row is an error on the later one. The result keeps the valid accounts and every problem, one line each, with the
 * row's position: `accounts.csv:4: account.renewal_date: expected a date YYYY-MM-DD, got "next year"`.
 */
import { accountLimitProblems } from '../../ir/account-check.js';
import type { AccountData } from '../../ir/types.js';
import { validateAccount, type Fields } from '../validate.js';
import { readCsvRows } from './csv.js';
import { readJsonLinesRows, readJsonRows } from './json.js';
import { placeIn, placeName, placeOrder, type ReadRows, type RowPlace, type RowProblem } from './rows.js';
import type { AccountSource } from './source.js';

export interface AccountFile {
  file: string;
  /** Rows in the file (valid and not). */
  rows: number;
  accounts: AccountData[];
  /** Where each of `accounts` is in the file. */
  places: RowPlace[];
  /** Ordered by position; a row with several problems has several entries. */
  problems: RowProblem[];
}

export function parseAccountFile(source: AccountSource, fields: Fields): AccountFile {
  return checkAccountRows(source.file, readRows(source, fields), fields);
}

/** Validates rows read elsewhere (an API request's array, placed by index) the same way. */
export function checkAccountRows(file: string, { rows, problems }: ReadRows, fields: Fields): AccountFile {
  const accounts: AccountData[] = [];
  const places: RowPlace[] = [];
  const invalid: RowProblem[] = [...problems];
  const firstSeen = new Map<string, RowPlace>();
  for (const { place, data } of rows) {
    const errors: string[] = [];
    const id = (data as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && id !== '') {
      const first = firstSeen.get(id);
      if (first === undefined) firstSeen.set(id, place);
      else errors.push(`account.id: ${JSON.stringify(id)} appears again (first on ${placeName(first)})`);
    }
    const result = validateAccount(fields, data);
    errors.unshift(...(result.ok ? accountLimitProblems(result.value) : result.errors));
    if (errors.length === 0 && result.ok) {
      accounts.push(result.value);
      places.push(place);
    } else invalid.push(...errors.map((message) => ({ place, message })));
  }
  invalid.sort((a, b) => placeOrder(a.place) - placeOrder(b.place));
  return { file, rows: rows.length + new Set(problems.map((p) => placeOrder(p.place))).size, accounts, places, problems: invalid };
}

/** One line per problem: `<file>:<line>: <message>`. */
export function problemLines(file: AccountFile): string[] {
  return file.problems.map((p) => `${placeIn(file.file, p.place)}: ${p.message}`);
}

/** How many rows have at least one problem. */
export function invalidRowCount(file: AccountFile): number {
  return new Set(file.problems.map((p) => placeOrder(p.place))).size;
}

function readRows(source: AccountSource, fields: Fields): ReadRows {
  switch (source.format) {
    case 'csv':
      return readCsvRows(source.file, source.text, fields);
    case 'json':
      return readJsonRows(source.file, source.text);
    case 'jsonl':
      return readJsonLinesRows(source.text);
  }
}
