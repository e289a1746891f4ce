/**
 * One-click unsubscribe links (RFC 8058): `<console.baseUrl>/unsubscribe/<token>`, where the token
 * names the recipient (and the account the email was about) and carries an HMAC-SHA256 of
 * them under the outreach key, so only links the engine wrote are honoured.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { PlaybookConfig } from '../config/types.js';

export interface UnsubscribeClaim {
  address: string;
  accountId: string | null;
}

/** The event by which a CRM or helpdesk tells the engine a contact opted out (`payload.email`). */
export const UNSUBSCRIBED_EVENT = 'contact.unsubscribed';

/** The path serve answers links on; the token follows it. */
export const UNSUBSCRIBE_PATH = '/unsubscribe';

const KEY_FILE = 'unsubscribe.key';

/** The configured secret, else the key file under `dataDir` (written once, readable by its owner only). */
export function unsubscribeKey(
  config: Pick<PlaybookConfig, 'dataDir'> & { outreach: Pick<PlaybookConfig['outreach'], 'unsubscribeSecret'> & Partial<PlaybookConfig['outreach']> },
): Buffer {
  if (config.outreach.unsubscribeSecret !== null) return Buffer.from(config.outreach.unsubscribeSecret);
  const file = path.join(config.dataDir, KEY_FILE);
  try {
    return readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  mkdirSync(config.dataDir, { recursive: true });
  try {
    // `wx`: when two processes start at once, the first key written is the one both use.
    writeFileSync(file, randomBytes(32), { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return readFileSync(file);
}

export function unsubscribeToken(key: Buffer, claim: UnsubscribeClaim): string {
  const body = Buffer.from(JSON.stringify([claim.address, claim.accountId])).toString('base64url');
  return `${body}.${mac(key, body)}`;
}

/** The claim of a token the engine signed with `key`; null for anything else. */
export function verifyUnsubscribeToken(key: Buffer, token: string): UnsubscribeClaim | null {
  const [body, signature, ...rest] = token.split('.');
  if (body === undefined || signature === undefined || rest.length > 0) return null;
  const expected = Buffer.from(mac(key, body));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const [address, accountId] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown[];
    if (typeof address !== 'string' || (accountId !== null && typeof accountId !== 'string')) return null;
    return { address, accountId };
  } catch {
    return null;
  }
}

export function unsubscribeUrl(baseUrl: string, token: string): string {
  return `${baseUrl}${UNSUBSCRIBE_PATH}/${token}`;
}

function mac(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url');
}
