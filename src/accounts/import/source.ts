/** An account file as read from disk: its format, told by its extension, and its text. */
import path from 'node:path';
import { UserError } from '../../errors.js';
import { readAccountText } from '../load.js';

export type AccountFileFormat = 'csv' | 'json' | 'jsonl';

export interface AccountSource {
  /** The path as the user gave it: messages name the file this way. */
  file: string;
  format: AccountFileFormat;
  text: string;
}

const FORMATS: Record<string, AccountFileFormat> = { '.csv': 'csv', '.json': 'json', '.jsonl': 'jsonl', '.ndjson': 'jsonl' };

export async function readAccountSource(file: string): Promise<AccountSource> {
  const format = FORMATS[path.extname(file).toLowerCase()];
  if (format === undefined) throw new UserError(`cannot tell the format of ${file}: name it .csv, .json, .jsonl or .ndjson`, 'usage');
  const text = await readAccountText(file);
  // Spreadsheet exports often start with a byte order mark, which no parser here expects.
  return { file, format, text: text.replace(/^\uFEFF/, '') };
}
