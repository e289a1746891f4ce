/**
 * API token secrets: `pbk_` and 32 random bytes in base64url. They carry 256 bits of
 * entropy, so a fast hash (SHA-256) is the right way to store them: nothing can be guessed
 * faster than the random bytes themselves, and a lookup per request stays cheap.
 */
import { createHash, randomBytes } from 'node:crypto';

export const TOKEN_PREFIX = 'pbk_';

export function newTokenSecret(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Hex SHA-256 of the whole token, as kept in the store. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
