/**
 * The suppression list as CSV, for moving opt-outs between tools: a header naming the columns
 * (`address` — or `email` — required; `reason`, `account` optional), one contact per row. A
 * file with any bad row imports nothing, and the message names every bad line.
 */
import { parseRecords } from '../accounts/import/csv.js';
import { isEmailAddress } from '../config/schema.js';
import { didYouMeanSuffix } from '../diagnostics/suggest.js';
import { UserError } from '../errors.js';
import { csvLine } from '../store/export.js';
import type { NewSuppression, Suppression } from '../store/suppressions.js';

const COLUMNS = ['address', 'email', 'reason', 'account'] as const;
type Column = (typeof COLUMNS)[number];

/** The rows of `text`; `source` is what they are recorded as coming from. */
export function readSuppressionCsv(file: string, text: string, source: string): NewSuppression[] {
  const [header, ...body] = parseRecords(file, text.replace(/^\uFEFF/, ''));
  if (header === undefined) return [];
  const columns = header.record.map((name) => {
    const column = COLUMNS.find((c) => c === name.toLowerCase());
    if (column === undefined)
      throw new UserError(
        `${file}:${header.place.line}: unknown column "${name}"${didYouMeanSuffix(name, COLUMNS)} (columns: address, reason, account)`,
        'invalid',
      );
    return column;
  });
  const addressAt = columns.findIndex((c) => c === 'address' || c === 'email');
  if (addressAt < 0) throw new UserError(`${file}:${header.place.line}: no address column (columns: address, reason, account)`, 'invalid');
  const at = (c: Column) => columns.indexOf(c);
  const problems: string[] = [];
  const rows = body.flatMap(({ place, record }) => {
    const address = record[addressAt] ?? '';
    if (!isEmailAddress(address)) {
      problems.push(`${file}:${place.line}: ${JSON.stringify(address)} is not an email address`);
      return [];
    }
    const reason = record[at('reason')] || 'imported';
    const account = record[at('account')] || null;
    return [{ address, reason, source, accountId: account }];
  });
  if (problems.length > 0)
    throw new UserError(`${problems.join('\n')}\n${problems.length} of ${body.length} rows are invalid; nothing was imported`, 'invalid');
  return rows;
}

export function suppressionCsv(suppressions: Suppression[]): string {
  return [
    csvLine(['address', 'reason', 'source', 'account', 'at']),
    ...suppressions.map((s) => csvLine([s.address, s.reason, s.source, s.accountId ?? '', s.at])),
  ].join('');
}
