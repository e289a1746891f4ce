import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { unsubscribeKey, unsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from '../../src/outreach/unsubscribe-link.js';

const KEY = Buffer.from('a-secret-of-the-workspace');

describe('unsubscribe links', () => {
  it('give back the recipient and account of a token the engine signed', () => {
    const token = unsubscribeToken(KEY, { address: 'pat@acme.example', accountId: 'acme' });
    expect(verifyUnsubscribeToken(KEY, token)).toEqual({ address: 'pat@acme.example', accountId: 'acme' });
    expect(unsubscribeUrl('https://cs.example.com', token)).toBe(`https://cs.example.com/unsubscribe/${token}`);
  });

  it('refuse a token with another recipient, another key, a changed signature or no signature', () => {
    const token = unsubscribeToken(KEY, { address: 'pat@acme.example', accountId: 'acme' });
    const [, signature] = token.split('.');
    const otherBody = unsubscribeToken(KEY, { address: 'boss@acme.example', accountId: 'acme' }).split('.')[0];
    expect(verifyUnsubscribeToken(KEY, `${otherBody}.${signature}`)).toBeNull();
    expect(verifyUnsubscribeToken(Buffer.from('another key'), token)).toBeNull();
    expect(verifyUnsubscribeToken(KEY, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`)).toBeNull();
    expect(verifyUnsubscribeToken(KEY, token.split('.')[0]!)).toBeNull();
    expect(verifyUnsubscribeToken(KEY, `${token}.more`)).toBeNull();
  });

  it('use the configured secret, else one key file under the data folder, created once and private', () => {
    expect(unsubscribeKey({ dataDir: '/nowhere', outreach: { unsubscribeSecret: 's3cret', inboundSecret: null, inboundSmtp: null } })).toEqual(
      Buffer.from('s3cret'),
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'unsubscribe-key-'));
    try {
      const config = { dataDir: path.join(dir, 'data'), outreach: { unsubscribeSecret: null, inboundSecret: null, inboundSmtp: null } };
      const first = unsubscribeKey(config);
      expect(first).toHaveLength(32);
      expect(unsubscribeKey(config)).toEqual(first);
      expect(statSync(path.join(dir, 'data', 'unsubscribe.key')).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
