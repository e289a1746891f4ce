/** The bounds of what an account entity holds, as the importer and the API check them. */
import { describe, expect, it } from 'vitest';
import { ACCOUNT_DATA_MAX_BYTES, ACCOUNT_VALUE_MAX_BYTES, accountLimitProblems } from '../../src/ir/account-check.js';

describe('accountLimitProblems', () => {
  it('accepts data at the limits', () => {
    expect(accountLimitProblems({ id: 'a'.repeat(128), name: 'é'.repeat(ACCOUNT_VALUE_MAX_BYTES / 2) })).toEqual([]);
  });

  it('names an id too long or holding a control character, and a text value too large in UTF-8', () => {
    expect(accountLimitProblems({ id: `${'a'.repeat(128)}\n`, name: 'é'.repeat(ACCOUNT_VALUE_MAX_BYTES / 2 + 1) })).toEqual([
      'account.id: 129 characters long; at most 128 are accepted',
      'account.id: must not contain control characters',
      `account.name: ${ACCOUNT_VALUE_MAX_BYTES + 2} bytes of text; at most ${ACCOUNT_VALUE_MAX_BYTES} are accepted`,
    ]);
  });

  it('bounds the whole record, as an upsert too', () => {
    const fields = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}`, 'x'.repeat(ACCOUNT_VALUE_MAX_BYTES)]));
    expect(accountLimitProblems(fields)).toEqual([
      expect.stringMatching(new RegExp(`^account: \\d+ bytes as JSON; at most ${ACCOUNT_DATA_MAX_BYTES} are accepted$`)),
    ]);
  });
});
