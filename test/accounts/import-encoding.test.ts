/**
 * Import files are UTF-8 (with or without a byte order mark) or UTF-16 with one; bytes that
 * do not decode are refused with the line they are on, instead of being read as U+FFFD.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAccountSource } from '../../src/accounts/import/source.js';

const dir = mkdtempSync(path.join(tmpdir(), 'import-encoding-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CSV = 'id,name\nacme,Café Zürich\nglobex,東京\n';

function file(name: string, bytes: Buffer): string {
  const at = path.join(dir, name);
  writeFileSync(at, bytes);
  return at;
}

function utf16be(text: string): Buffer {
  const le = Buffer.from(text, 'utf16le');
  for (let i = 0; i < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1]!, le[i]!];
  return le;
}

describe('import file encodings', () => {
  it('reads UTF-8, with or without a byte order mark', async () => {
    expect((await readAccountSource(file('plain.csv', Buffer.from(CSV)))).text).toBe(CSV);
    expect((await readAccountSource(file('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(CSV)])))).text).toBe(CSV);
  });

  it('reads UTF-16 little and big endian by their byte order mark', async () => {
    expect((await readAccountSource(file('le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CSV, 'utf16le')])))).text).toBe(CSV);
    expect((await readAccountSource(file('be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(CSV)])))).text).toBe(CSV);
  });

  it('refuses a Latin-1 file, naming the line and column of the first byte that is not UTF-8', async () => {
    const latin1 = file('latin1.csv', Buffer.from(CSV.replace('東京', 'Globex'), 'latin1'));
    await expect(readAccountSource(latin1)).rejects.toMatchObject({
      name: 'UserError',
      kind: 'invalid',
      message: `${latin1}:2:9: not UTF-8 (byte 0xE9); save the file as UTF-8 (Latin-1 and Windows-1252 exports are not read as they are)`,
    });
  });

  it('refuses UTF-16 without a byte order mark, and UTF-16 that does not decode', async () => {
    const bare = file('bare.jsonl', Buffer.from('{"id":"acme"}\n', 'utf16le'));
    await expect(readAccountSource(bare)).rejects.toMatchObject({
      kind: 'invalid',
      message: `${bare}: holds NUL bytes: UTF-16 without a byte order mark? save the file as UTF-8`,
    });
    // A high surrogate with no low one after it, on the second line.
    const broken = file('broken.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id\nab\ud800c\n', 'utf16le')]));
    await expect(readAccountSource(broken)).rejects.toMatchObject({ kind: 'invalid', message: `${broken}:2:3: not UTF-16LE; save the file as UTF-8` });
  });
});
