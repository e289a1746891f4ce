/** How an import that stopped part-way names its rows: applied, unconfirmed, not sent, as ranges. */
import { describe, expect, it } from 'vitest';
import { stoppedImport, stoppedMessage } from '../../src/accounts/import/stopped.js';

describe('a stopped import', () => {
  it('groups neighbouring valid rows into line ranges by state', () => {
    const places = [2, 3, 4, 6, 7, 8, 9].map((line) => ({ line }));
    const stopped = stoppedImport('the Temporal server stopped answering', places, ['applied', 'applied', 'failed', 'applied', 'sent', 'notSent', 'notSent']);
    expect(stopped).toEqual({
      reason: 'the Temporal server stopped answering',
      applied: { rows: 3, at: 'lines 2-3, 6' },
      unconfirmed: { rows: 2, at: 'lines 4, 7' },
      notSent: { rows: 2, at: 'lines 8-9' },
    });
    expect(stoppedMessage('a.csv', stopped).split('\n')).toEqual([
      'importing a.csv stopped part-way: the Temporal server stopped answering',
      '  applied      3 rows (lines 2-3, 6)',
      '  unconfirmed  2 rows (lines 4, 7): their upserts failed; the server may have applied them',
      '  not sent     2 rows (lines 8-9)',
      'Importing the same file again is safe: an upsert sets the values it names, so a row applied twice ends the same.',
    ]);
  });

  it('names JSON rows by index and says when a state has no row', () => {
    const places = [0, 1, 2].map((index) => ({ index }));
    const stopped = stoppedImport('x', places, ['applied', 'applied', 'failed']);
    expect(stopped.applied.at).toBe('accounts[0..1]');
    expect(stopped.unconfirmed.at).toBe('accounts[2]');
    expect(stoppedMessage('a.json', stopped)).toContain('\n  not sent     0 rows\n');
  });
});
