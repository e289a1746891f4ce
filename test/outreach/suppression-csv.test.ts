import { describe, expect, it } from 'vitest';
import { readSuppressionCsv, suppressionCsv } from '../../src/outreach/suppression-csv.js';

describe('suppression CSV', () => {
  it('reads address (or email), reason and account columns, with a default reason', () => {
    expect(readSuppressionCsv('s.csv', '\uFEFFemail,reason,account\npat@acme.example,,acme\nlee@acme.example,"asked by phone",\n', 'import')).toEqual([
      { address: 'pat@acme.example', reason: 'imported', source: 'import', accountId: 'acme' },
      { address: 'lee@acme.example', reason: 'asked by phone', source: 'import', accountId: null },
    ]);
  });

  it('imports nothing from a file with bad rows, naming each line', () => {
    expect(() => readSuppressionCsv('s.csv', 'address\npat@acme.example\nnot-an-address\n\n"x"\n', 'import')).toThrow(
      's.csv:3: "not-an-address" is not an email address\ns.csv:5: "x" is not an email address\n2 of 3 rows are invalid; nothing was imported',
    );
  });

  it('refuses an unknown column with a suggestion, and a file without an address column', () => {
    expect(() => readSuppressionCsv('s.csv', 'adress\npat@acme.example\n', 'import')).toThrow('s.csv:1: unknown column "adress"; did you mean `address`?');
    expect(() => readSuppressionCsv('s.csv', 'reason\nasked\n', 'import')).toThrow('s.csv:1: no address column');
  });

  it('writes the list with a header, quoting where CSV needs it', () => {
    const csv = suppressionCsv([
      { address: 'pat@acme.example', reason: 'said "stop", twice', source: 'link', accountId: 'acme', at: '2026-12-02T06:00:00.000Z' },
    ]);
    expect(csv).toBe('address,reason,source,account,at\npat@acme.example,"said ""stop"", twice",link,acme,2026-12-02T06:00:00.000Z\n');
  });
});
