/**
 * Reads the rows of an account JSON file (an array of accounts, or `{ "accounts": [...] }`)
 * and of a JSON Lines file (one account per line). Rows stay unvalidated JSON here. A JSON
 * file that does not parse is one error with its line and column; in JSON Lines each line
 * stands alone, so a line that does not parse is that row's problem only.
 */
import { UserError } from '../../errors.js';
import { describeValue } from '../../ir/value-rules.js';
import { jsonDepthProblem } from '../../util/json-depth.js';
import type { ReadRows, RowProblem, SourceRow } from './rows.js';

export function readJsonRows(file: string, text: string): ReadRows {
  const tooDeep = jsonDepthProblem(text);
  if (tooDeep !== null) throw new UserError(`${file}: ${tooDeep}`, 'invalid');
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const { line, column } = lineAndColumn(text, parsed.position);
    throw new UserError(`${file}:${line}:${column}: not valid JSON: ${parsed.reason}`, 'invalid');
  }
  const list = accountList(parsed.value);
  if (list === undefined) throw new UserError(`${file}: expected an array of accounts or { "accounts": [...] }, got ${describeValue(parsed.value)}`, 'invalid');
  return { rows: list.map((data, index) => ({ place: { index }, data })), problems: [] };
}

export function readJsonLinesRows(text: string): ReadRows {
  const rows: SourceRow[] = [];
  const problems: RowProblem[] = [];
  text.split('\n').forEach((content, i) => {
    if (content.trim() === '') return;
    const place = { line: i + 1 };
    const tooDeep = jsonDepthProblem(content);
    if (tooDeep !== null) return void problems.push({ place, message: tooDeep });
    const parsed = parseJson(content);
    if (parsed.ok) rows.push({ place, data: parsed.value });
    else problems.push({ place, message: `not valid JSON at column ${parsed.position + 1}: ${parsed.reason}` });
  });
  return { rows, problems };
}

function accountList(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null && Array.isArray((value as { accounts?: unknown }).accounts))
    return (value as { accounts: unknown[] }).accounts;
  return undefined;
}

type JsonResult = { ok: true; value: unknown } | { ok: false; reason: string; position: number };

/** `JSON.parse`, with V8's "at position N" taken out of the message into a number (end of text when it names none). */
function parseJson(text: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    const message = (e as Error).message;
    const at = /\s+in JSON at position (\d+)/.exec(message);
    if (at === null) return { ok: false, reason: message, position: text.trimEnd().length };
    return { ok: false, reason: message.replace(at[0], '').replace(/\s*\(line \d+ column \d+\)$/, ''), position: Number(at[1]) };
  }
}

function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}
