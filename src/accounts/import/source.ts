/**
 * An account file as read from disk: its format, told by its extension, and its text. The
 * bytes are UTF-8, with or without a byte order mark, or UTF-16 (LE or BE) with one; bytes
 * that do not decode are refused with their line and column, never read as U+FFFD.
 */
import path from 'node:path';
import { UserError } from '../../errors.js';
import { readAccountBytes } from '../load.js';

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
  return { file, format, text: decodeAccountFile(file, await readAccountBytes(file)) };
}

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

// Spreadsheet exports often start with a byte order mark: it tells the encoding and is not text.
const BOMS: Array<[Encoding, number[]]> = [
  ['utf-8', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

/** The text of `bytes`, or a `UserError` naming where decoding fails. */
export function decodeAccountFile(file: string, bytes: Uint8Array): string {
  const bom = BOMS.find(([, mark]) => mark.every((b, i) => bytes[i] === b));
  const encoding = bom?.[0] ?? 'utf-8';
  const body = bytes.subarray(bom?.[1].length ?? 0);
  if (bom === undefined && body.includes(0))
    throw new UserError(`${file}: holds NUL bytes: UTF-16 without a byte order mark? save the file as UTF-8`, 'invalid');
  try {
    return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body);
  } catch {
    throw undecodable(file, encoding, body);
  }
}

function undecodable(file: string, encoding: Encoding, body: Uint8Array): UserError {
  const text = decodablePrefix(encoding, body);
  const line = text.split('\n').length;
  const column = text.length - text.lastIndexOf('\n');
  if (encoding !== 'utf-8') return new UserError(`${file}:${line}:${column}: not ${encoding.toUpperCase()}; save the file as UTF-8`, 'invalid');
  const byte = body[Buffer.byteLength(text)]!;
  return new UserError(
    `${file}:${line}:${column}: not UTF-8 (byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')}); save the file as UTF-8 (Latin-1 and Windows-1252 exports are not read as they are)`,
    'invalid',
  );
}

/**
 * The complete characters before the first sequence that does not decode. A prefix that
 * decodes as a stream (an unfinished character at its end is held back) stays decodable when
 * shortened, so the longest one is found by bisection.
 */
function decodablePrefix(encoding: Encoding, body: Uint8Array): string {
  const decodes = (length: number): string | null => {
    try {
      return new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(body.subarray(0, length), { stream: true });
    } catch {
      return null;
    }
  };
  let good = 0;
  let bad = body.length + 1;
  while (bad - good > 1) {
    const middle = Math.floor((good + bad) / 2);
    if (decodes(middle) === null) bad = middle;
    else good = middle;
  }
  return decodes(good) ?? '';
}
