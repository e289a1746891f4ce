/**
 * Reads the rows of an account CSV: a header row naming the columns (`id` and declared
 * fields), then one account per row. Cells become values by their column's field type; an
 * empty cell is no value (the field is left out, so an import never clears a field). A header
 * that names an unknown column fails the whole file, since every row would be read wrong.
 */
import { CsvError } from 'csv-parse';
import { parse } from 'csv-parse/sync';
import { UserError } from '../../errors.js';
import { didYouMeanSuffix } from '../../diagnostics/suggest.js';
import type { AccountValue } from '../../ir/types.js';
import type { Fields } from '../validate.js';
import { cellValue } from './cells.js';
import type { ReadRows, RowProblem, SourceRow } from './rows.js';

interface ParsedRecord {
  record: string[];
  /** `bytes`: where the record ends (after its line break), in UTF-8 bytes from the start. */
  info: { bytes: number };
}

export interface PlacedRecord {
  place: { line: number };
  record: string[];
}

export function readCsvRows(file: string, text: string, fields: Fields): ReadRows {
  const [header, ...body] = parseRecords(file, text);
  if (header === undefined) return { rows: [], problems: [] };
  const columns = checkHeader(file, header, fields);
  const rows: SourceRow[] = [];
  const problems: RowProblem[] = [];
  for (const { place, record } of body) {
    if (record.length !== columns.length) {
      problems.push({ place, message: `expected ${columns.length} cells (one per column), got ${record.length}` });
      continue;
    }
    const data: Record<string, AccountValue> = {};
    record.forEach((cell, i) => {
      const column = columns[i]!;
      if (cell !== '') data[column] = column === 'id' ? cell : cellValue(fields[column]!, cell);
    });
    rows.push({ place, data });
  }
  return { rows, problems };
}

/** The records of a CSV file with the line each starts on; invalid CSV is a UserError naming the line. */
export function parseRecords(file: string, text: string): PlacedRecord[] {
  const lines = new LineCounter(Buffer.from(text));
  let records: ParsedRecord[];
  try {
    records = parse(text, { info: true, trim: true, skip_empty_lines: true, relax_column_count: true }) as unknown as ParsedRecord[];
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    // The record the problem is in starts where the last good one ended (an unclosed quote
    // is only noticed at the end of the file, far below).
    const line = typeof e.bytes_records === 'number' ? lines.startOfRecordAt(e.bytes_records) : Number(e.lines);
    throw new UserError(`${file}:${line}: not valid CSV: ${csvReason(e)}`, 'invalid');
  }
  let end = 0;
  return records.map(({ record, info }) => {
    const place = { line: lines.startOfRecordAt(end) };
    end = info.bytes;
    return { place, record };
  });
}

/**
 * Line numbers from byte offsets. csv-parse's own line count is off for quoted cells holding
 * a CRLF (it counts two lines), so rows are placed by where they start instead: the first
 * non-blank line after the previous record ended. Offsets must not decrease between calls.
 */
class LineCounter {
  private offset = 0;
  private line = 1;

  constructor(private readonly bytes: Buffer) {}

  startOfRecordAt(recordEnd: number): number {
    while (this.offset < recordEnd) this.step();
    while (this.offset < this.bytes.length && BLANK.has(this.bytes[this.offset]!)) this.step();
    return this.line;
  }

  private step(): void {
    if (this.bytes[this.offset] === NEWLINE) this.line++;
    this.offset++;
  }
}

const NEWLINE = 0x0a;
const BLANK = new Set([0x20, 0x09, 0x0d, NEWLINE]);

/** csv-parse's message without its own "at line N" and option hints, which the prefix says better. */
function csvReason(e: CsvError): string {
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quoted cell is never closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return 'text after the closing quote of a cell (a quote inside a quoted cell is written "")';
    case 'INVALID_OPENING_QUOTE':
      return 'a quote inside an unquoted cell (quote the whole cell and write the quote as "")';
    default:
      return e.message;
  }
}

/** The column names; every problem of the header at once, as one error. */
function checkHeader(file: string, header: PlacedRecord, fields: Fields): string[] {
  const names = header.record;
  const known = ['id', ...Object.keys(fields)];
  const problems: string[] = [];
  names.forEach((name, i) => {
    if (name === '') problems.push(`column ${i + 1} has no name`);
    else if (names.indexOf(name) !== i) problems.push(`column "${name}" appears twice`);
    else if (!known.includes(name)) problems.push(`column "${name}" is not a declared account field${didYouMeanSuffix(name, known)}`);
  });
  if (!names.includes('id')) problems.push('no "id" column: the header row names the columns, and one of them is "id"');
  if (problems.length > 0) throw new UserError(problems.map((p) => `${file}:${header.place.line}: ${p}`).join('\n'), 'invalid');
  return names;
}
