/**
 * Starting a run resolves the account's calendars first: an account whose data the calendar
 * cannot use is the caller's mistake (a `UserError`, 400 from the API), and nothing reaches
 * Temporal.
 */
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.js';
import { HOLIDAY_FIELD_PROGRAM as program } from './fixtures/holiday-field-program.js';
import { startRun } from '../../src/temporal/client.js';

describe('startRun', () => {
  it('refuses an account whose holiday field holds no holiday code, naming it, without calling Temporal', async () => {
    const untouchable = new Proxy({}, { get: () => expect.fail('Temporal was called') }) as Client;
    const start = startRun(untouchable, { program, version: 'v1', account: { id: 'acct-1', country: 'Deutschland' }, taskQueue: 'q' });
    await expect(start).rejects.toThrow(UserError);
    await expect(start).rejects.toMatchObject({
      kind: 'invalid',
      message:
        'cannot start welcome for account acct-1: calendar local: account.country is "Deutschland", not a holiday country or region code (such as "US", "GB-ENG" or "DE-BY")',
    });
  });
});
