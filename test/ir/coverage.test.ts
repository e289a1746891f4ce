/** Lowering of `coverage` declarations: the condition, the covering playbook's calendar, and the dates from which a run counts. */
import { describe, expect, it } from 'vitest';
import { lowerCoverages, sinceDates } from '../../src/ir/coverage.js';
import type { ExprIr } from '../../src/ir/types.js';
import { check, located } from '../check/helpers.js';

const CALENDAR = 'calendar office\n  timezone account.timezone or "Europe/Berlin"\n  working days monday to friday\n';

describe('lowerCoverages', () => {
  it("lowers id, title, target, condition and playbook, with the playbook's calendar and where a run starts counting", () => {
    const { diagnostics, model } = check({
      'calendars.playbook': CALENDAR,
      'coverage.playbook':
        'coverage renewals "Renewals" target 95%:\n  accounts where days until account.renewal_date <= 90 and account.segment is enterprise\n  have run renewal\n\n' +
        'coverage everyone target 50%:\n  have run bare\n  accounts where account.segment is smb\n',
      'renewal.playbook': 'playbook renewal\n  calendar office\n  note "x"\n',
      'bare.playbook': 'playbook bare\n  note "x"\n',
    });
    expect(located(diagnostics)).toEqual([]);
    const [everyone, renewals] = lowerCoverages(model);
    expect(renewals).toMatchObject({
      id: 'renewals',
      title: 'Renewals',
      target: 95,
      playbook: 'renewal',
      calendar: { id: 'office', timezone: [{ field: 'timezone' }, { zone: 'Europe/Berlin' }] },
      since: [{ field: 'renewal_date', days: -90 }],
      file: 'coverage.playbook',
      line: 1,
    });
    expect(renewals!.population.op).toBe('and');
    expect(everyone).toMatchObject({ id: 'everyone', title: null, playbook: 'bare', calendar: null, since: [], line: 5 });
  });
});

describe('sinceDates', () => {
  const field = (name: string): ExprIr => ({ op: 'field', field: name });
  const n = (value: number): ExprIr => ({ op: 'lit', type: 'number', value });
  const cmp = (op: 'daysUntil' | 'daysSince', c: '<' | '<=' | '>' | '>=' | '=', value: number, flipped = false): ExprIr => {
    const term: ExprIr = { op, operand: field('d') };
    return flipped ? { op: 'compare', cmp: c, left: n(value), right: term } : { op: 'compare', cmp: c, left: term, right: n(value) };
  };

  it('reads when `days until` and `days since` terms begin to hold, on either side of the comparison', () => {
    expect(sinceDates(cmp('daysUntil', '<=', 90))).toEqual([{ field: 'd', days: -90 }]);
    expect(sinceDates(cmp('daysUntil', '<', 90))).toEqual([{ field: 'd', days: -89 }]);
    expect(sinceDates(cmp('daysUntil', '>=', 90, true))).toEqual([{ field: 'd', days: -90 }]);
    expect(sinceDates(cmp('daysSince', '>=', 30))).toEqual([{ field: 'd', days: 30 }]);
    expect(sinceDates(cmp('daysSince', '>', 30))).toEqual([{ field: 'd', days: 31 }]);
    expect(sinceDates(cmp('daysSince', '<=', 30))).toEqual([{ field: 'd', days: 0 }]);
  });

  it('reads none from terms that hold from no date: under `or` or `not`, `days until … >=`, `=`', () => {
    expect(sinceDates(cmp('daysUntil', '>=', 10))).toEqual([]);
    expect(sinceDates(cmp('daysUntil', '=', 10))).toEqual([]);
    expect(sinceDates({ op: 'or', left: cmp('daysUntil', '<=', 90), right: cmp('daysSince', '>=', 1) })).toEqual([]);
    expect(sinceDates({ op: 'not', operand: cmp('daysUntil', '<=', 90) })).toEqual([]);
    expect(sinceDates({ op: 'and', left: cmp('daysUntil', '<=', 90), right: cmp('daysSince', '>=', 1) })).toEqual([
      { field: 'd', days: -90 },
      { field: 'd', days: 1 },
    ]);
  });
});
