/** Signed integration requests: the HMAC over "<t>.<raw body>", the time window, replays. */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DirectoryReplayGuard, ReplayGuard, SIGNATURE_TOLERANCE_S, signatureHeader, signBody, verifySignature } from '../../src/api/signature.js';

const SECRET = 'whsec-unit';
const NOW_MS = 1_780_000_000_000;
const NOW_S = NOW_MS / 1000;
const BODY = Buffer.from('{"accountId":"acme","name":"kickoff.held"}');

function verify(header: string | undefined, body = BODY, guard = new ReplayGuard()): Promise<void> {
  return verifySignature(header, body, SECRET, NOW_MS, guard);
}

describe('request signatures', () => {
  it('accepts a signature computed as documented: hex HMAC-SHA256 of "<t>.<raw body>"', async () => {
    const hex = createHmac('sha256', SECRET).update(`${NOW_S}.${BODY.toString()}`).digest('hex');
    expect(signBody(SECRET, NOW_S, BODY)).toBe(hex);
    await expect(verify(`t=${NOW_S},v1=${hex}`)).resolves.toBeUndefined();
  });

  it('accepts timestamps up to the tolerance either side of the clock', async () => {
    await expect(verify(signatureHeader(SECRET, NOW_S - SIGNATURE_TOLERANCE_S, BODY))).resolves.toBeUndefined();
    await expect(verify(signatureHeader(SECRET, NOW_S + SIGNATURE_TOLERANCE_S, BODY))).resolves.toBeUndefined();
  });

  it.each([
    ['missing', undefined, 'signature_required'],
    ['empty', '', 'signature_required'],
    ['malformed', 'sha256=abc', 'bad_signature'],
    ['without v1', `t=${NOW_S}`, 'bad_signature'],
    ['signed with another secret', signatureHeader('other', NOW_S, BODY), 'bad_signature'],
    ['over another body', signatureHeader(SECRET, NOW_S, '{"accountId":"acme","name":"kickoff.held "}'), 'bad_signature'],
    ['too old', signatureHeader(SECRET, NOW_S - SIGNATURE_TOLERANCE_S - 1, BODY), 'signature_expired'],
    ['too far ahead', signatureHeader(SECRET, NOW_S + SIGNATURE_TOLERANCE_S + 1, BODY), 'signature_expired'],
  ])('refuses a %s signature with 401 %s', async (_what, header, code) => {
    await expect(verify(header)).rejects.toMatchObject({ status: 401, code });
  });

  it('refuses a body whose signature was already accepted, and accepts a fresh signature of the same body', async () => {
    const guard = new ReplayGuard();
    const header = signatureHeader(SECRET, NOW_S, BODY);
    await expect(verify(header, BODY, guard)).resolves.toBeUndefined();
    await expect(verify(header, BODY, guard)).rejects.toMatchObject({ status: 401, code: 'signature_replayed' });
    await expect(verify(signatureHeader(SECRET, NOW_S - 1, BODY), BODY, guard)).resolves.toBeUndefined();
  });

  it('accepts any one of several v1 signatures (a secret being rotated)', async () => {
    const header = `t=${NOW_S},v1=${signBody('old-secret', NOW_S, BODY)},v1=${signBody(SECRET, NOW_S, BODY)}`;
    await expect(verify(header)).resolves.toBeUndefined();
  });

  it('forgets accepted signatures once they could no longer pass the time check, and stays bounded', () => {
    const guard = new ReplayGuard(2);
    expect(guard.accept('a', 0)).toBe(true);
    expect(guard.accept('a', 1)).toBe(false);
    expect(guard.accept('a', 2 * SIGNATURE_TOLERANCE_S + 1)).toBe(true);
    expect(guard.accept('b', 2 * SIGNATURE_TOLERANCE_S + 1)).toBe(true);
    expect(guard.accept('c', 2 * SIGNATURE_TOLERANCE_S + 1)).toBe(true);
    // Full: the oldest entry made room.
    expect(guard.accept('a', 2 * SIGNATURE_TOLERANCE_S + 2)).toBe(true);
    expect(guard.accept('c', 2 * SIGNATURE_TOLERANCE_S + 2)).toBe(false);
  });
});

describe('replay memory shared by the API processes of a host', () => {
  it('refuses in one guard what another accepted, and forgets a signature once its time has passed', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'replays-'));
    try {
      const first = new DirectoryReplayGuard(path.join(dir, 'signatures'));
      const second = new DirectoryReplayGuard(path.join(dir, 'signatures'));
      const key = `${NOW_S}.${'ab'.repeat(32)}`;
      expect(await first.accept(key, NOW_S)).toBe(true);
      expect(await second.accept(key, NOW_S + 1)).toBe(false);
      expect(await first.accept(key, NOW_S + 2)).toBe(false);
      // Past twice the tolerance the entry is dropped (its timestamp no longer passes the time check).
      expect(await second.accept(`${NOW_S + 3 * SIGNATURE_TOLERANCE_S}.${'cd'.repeat(32)}`, NOW_S + 3 * SIGNATURE_TOLERANCE_S)).toBe(true);
      expect(readdirSync(path.join(dir, 'signatures'))).toEqual([`${NOW_S + 3 * SIGNATURE_TOLERANCE_S}.${'cd'.repeat(32)}`]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
