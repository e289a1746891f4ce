/**
 * The built-in KPIs on the real store (PGlite and a PostgreSQL server), from synthetic runs
 * written through the projection with answers worked out by hand (fixture.ts): in the New York
 * business calendar across MLK Day, Presidents' Day and the start of daylight-saving time.
 */
import { describe, expect, it } from 'vitest';
import type { GoalIr } from '../../src/ir/types.js';
import { runReport, type ReportRequest } from '../../src/reports/index.js';
import type { KpiName, ReportRow } from '../../src/reports/types.js';
import type { Store } from '../../src/store/connect.js';
import { BACKENDS, useMigratedStore } from '../store/backends.js';
import { ANN, BOB, CHECKED, fillReportFixture, PERIOD, V1, V2 } from './fixture.js';

describe.each(BACKENDS)('reports on %s', (name) => {
  let store: Store;
  useMigratedStore(name, (opened) => (store = opened));
  let filled: Promise<void> | undefined;
  const rows = async (kpi: KpiName, request: ReportRequest = {}): Promise<ReportRow[]> => {
    filled ??= fillReportFixture(store);
    await filled;
    return (await runReport(store, kpi, { ...PERIOD, ...request })).rows;
  };
  const only = (all: ReportRow[], playbook: string) => all.filter((r) => r.playbook === playbook);

  it('counts tasks done on time: 7 of 8 is 87.5%, a task late across MLK Day by 8 business hours, one still open past its due late by 17 across the DST change', async () => {
    expect(await rows('on-time')).toEqual([
      { playbook: 'onboarding', tasks: 8, onTime: 7, late: 1, onTimePercent: 87.5, medianLateBusinessHours: 8, maxLateBusinessHours: 8 },
      { playbook: 'renewal', tasks: 2, onTime: 1, late: 1, onTimePercent: 50, medianLateBusinessHours: 17, maxLateBusinessHours: 17 },
    ]);
    expect(await rows('on-time', { by: 'csm' })).toEqual([
      { csm: ANN, tasks: 6, onTime: 4, late: 2, onTimePercent: 66.7, medianLateBusinessHours: 12.5, maxLateBusinessHours: 17 },
      { csm: BOB, tasks: 4, onTime: 4, late: 0, onTimePercent: 100, medianLateBusinessHours: null, maxLateBusinessHours: null },
    ]);
    expect((await rows('on-time', { by: 'segment' })).map((r) => [r.segment, r.onTimePercent])).toEqual([
      ['enterprise', 87.5],
      ['smb', 50],
    ]);
    expect((await rows('on-time', { by: 'stage' })).map((r) => [r.playbook, r.stage, r.onTime, r.late])).toEqual([
      ['onboarding', 'kickoff', 7, 1],
      ['renewal', 'check', 1, 1],
    ]);
  });

  it('gives a csm the figures of its book only', async () => {
    const book = { user: ANN, userFields: ['csm'], grants: [] };
    expect((await rows('on-time', { by: 'csm', book })).map((r) => [r.csm, r.tasks])).toEqual([[ANN, 6]]);
    expect(await rows('on-time', { book: { user: 'nobody@example.com', userFields: ['csm'], grants: [] } })).toEqual([]);
    expect((await rows('on-time', { by: 'csm', book: { user: null, userFields: [], grants: ['k-ent-bob'] } })).map((r) => r.csm)).toEqual([BOB]);
  });

  it('measures escalation lead time in business days: 3 after a red rating across a weekend and the DST change, 0 at once, none without a signal', async () => {
    expect(await rows('escalation-lead-time')).toEqual([
      { playbook: 'renewal', escalations: 3, measured: 2, meanBusinessDays: 1.5, medianBusinessDays: 1.5, maxBusinessDays: 3, withinPercent: 100 },
    ]);
    expect((await rows('escalation-lead-time', { within: 2 }))[0]!.withinPercent).toBe(50);
  });

  it('counts follow-ups within 2 business days of an event, over MLK Day and Presidents’ Day, leaving out the one whose window is open', async () => {
    expect(only(await rows('follow-up'), 'support')).toEqual([
      { playbook: 'support', event: 'ticket.resolved', events: 4, followedUp: 1, notFollowedUp: 2, pending: 1, followUpPercent: 33.3 },
    ]);
    // Within 5 business days the second one counts too (by Thursday 02-19 10:00, Presidents' Day skipped).
    expect((await rows('follow-up', { within: 5 }))[0]).toMatchObject({ followedUp: 2, notFollowedUp: 1, followUpPercent: 66.7 });
  });

  it('times the first touch after an event in business hours', async () => {
    expect(await rows('first-touch', { by: 'csm' })).toEqual([
      { csm: ANN, event: 'ticket.resolved', events: 4, touched: 2, medianBusinessHours: 13.5, maxBusinessHours: 25, withinPercent: 33.3 },
    ]);
  });

  it('gives the outcome distribution per playbook and per version', async () => {
    expect(await rows('outcomes')).toEqual([
      { playbook: 'trial', outcome: 'stopped', label: 'subscribed', runs: 3, percent: 60 },
      { playbook: 'trial', outcome: 'completed', label: null, runs: 1, percent: 20 },
      { playbook: 'trial', outcome: 'exited', label: null, runs: 1, percent: 20 },
    ]);
    expect(await rows('outcomes', { by: 'version' })).toEqual([
      { playbook: 'trial', version: V1, outcome: 'stopped', label: 'subscribed', runs: 2, percent: 66.7 },
      { playbook: 'trial', version: V1, outcome: 'exited', label: null, runs: 1, percent: 33.3 },
      { playbook: 'trial', version: V2, outcome: 'completed', label: null, runs: 1, percent: 50 },
      { playbook: 'trial', version: V2, outcome: 'stopped', label: 'subscribed', runs: 1, percent: 50 },
    ]);
  });

  it('draws the stage funnel: runs reaching each stage, median business days in it, where they are and ended', async () => {
    const ends = { inStage: 0, completed: 0, stopped: 0, exited: 0, otherEnd: 0 };
    expect(only(await rows('funnel'), 'trial')).toEqual([
      { playbook: 'trial', stage: 'review', reached: 6, reachedPercent: 100, medianBusinessDays: 2, ...ends, inStage: 1, stopped: 2, exited: 1 },
      { playbook: 'trial', stage: 'prepare', reached: 2, reachedPercent: 33.3, medianBusinessDays: 2, ...ends, completed: 1, stopped: 1 },
    ]);
    expect(only(await rows('funnel', { by: 'version' }), 'trial').map((r) => [r.version, r.stage, r.reached, r.medianBusinessDays])).toEqual([
      [V1, 'review', 3, 1.5],
      [V1, 'prepare', 1, 1],
      [V2, 'review', 3, 4],
      [V2, 'prepare', 1, 3],
    ]);
    expect(only(await rows('funnel'), 'renewal')).toEqual([
      { playbook: 'renewal', stage: 'check', reached: 3, reachedPercent: 100, medianBusinessDays: null, ...ends, inStage: 3 },
    ]);
  });

  it('computes goal attainment against its target: met exactly at the deadline counts, a minute after is missed', async () => {
    const goal = { playbook: 'trial', goal: 'converted', text: 'Converted within 5 business days', target: 90 };
    expect(await rows('goals')).toEqual([{ ...goal, met: 3, missed: 2, attainmentPercent: 60, onTarget: false, medianTookBusinessMinutes: 1200 }]);
    expect(await rows('goals', { by: 'version' })).toEqual([
      { ...goal, version: V1, met: 2, missed: 1, attainmentPercent: 66.7, onTarget: false, medianTookBusinessMinutes: 1080 },
      { ...goal, version: V2, met: 1, missed: 1, attainmentPercent: 50, onTarget: false, medianTookBusinessMinutes: 2400 },
    ]);
  });

  it('trends goal attainment per week of the account’s calendar (a Sunday-night entry is in its New York week)', async () => {
    expect(await rows('goal-trend')).toEqual([
      { playbook: 'trial', goal: 'converted', week: '2026-02-02', target: 90, met: 1, missed: 0, attainmentPercent: 100 },
      { playbook: 'trial', goal: 'converted', week: '2026-02-09', target: 90, met: 1, missed: 1, attainmentPercent: 50 },
      { playbook: 'trial', goal: 'converted', week: '2026-03-09', target: 90, met: 1, missed: 1, attainmentPercent: 50 },
    ]);
  });

  it('compares versions: the runs each started in the period, how they ended and the goals they met', async () => {
    expect(only(await rows('versions'), 'trial')).toEqual([
      {
        playbook: 'trial',
        version: V1,
        deployedAt: '2026-01-01T00:00:00.000Z',
        runs: 3,
        ended: 3,
        completedPercent: 0,
        stoppedPercent: 66.7,
        exitedPercent: 33.3,
        otherEndPercent: 0,
        goalsMet: 2,
        goalsMissed: 1,
        attainmentPercent: 66.7,
      },
      {
        playbook: 'trial',
        version: V2,
        deployedAt: '2026-02-20T00:00:00.000Z',
        runs: 3,
        ended: 2,
        completedPercent: 50,
        stoppedPercent: 50,
        exitedPercent: 0,
        otherEndPercent: 0,
        goalsMet: 1,
        goalsMissed: 1,
        attainmentPercent: 50,
      },
    ]);
  });

  it('lists what is at risk at "now": a task due in 3 business hours and a pending goal with 12.5% of its window left, not one with 80%', async () => {
    const run = 'playbook:renewal:k-smb-ann:2';
    expect(await rows('at-risk')).toEqual([
      {
        playbook: 'renewal',
        kind: 'task',
        account: 'k-smb-ann',
        run,
        item: 'r5',
        text: 'Do r5',
        owner: ANN,
        due: '2026-03-10T17:00:00.000Z',
        leftPercent: null,
        leftBusinessHours: 3,
      },
      {
        playbook: 'renewal',
        kind: 'goal',
        account: 'k-smb-ann',
        run,
        item: 'checked',
        text: 'Checked within 7 business days',
        owner: ANN,
        due: '2026-03-11T13:00:00.000Z',
        leftPercent: 12.5,
        leftBusinessHours: 7,
      },
    ]);
    // A day later the task is overdue (late, not at risk) and the goal's deadline has passed.
    expect(await rows('at-risk', { asOf: new Date('2026-03-11T14:00:00Z') })).toEqual([]);
    expect(await rows('at-risk', { book: { user: BOB, userFields: ['csm'], grants: [] } })).toEqual([]);
    expect(await rows('at-risk', { playbook: 'trial' })).toEqual([]);
  });

  it('counts a pending goal’s window in its kept unit: elapsed time for plain days, business time when the version kept no goals', async () => {
    const kept = async (goals: GoalIr[] | null) =>
      store
        .updateTable('playbook_sources')
        .set({ goals: goals === null ? null : JSON.stringify(goals) })
        .where('playbook_id', '=', 'renewal')
        .execute();
    const goalLeft = async () => (await rows('at-risk')).filter((r) => r.kind === 'goal').map((r) => [r.item, r.leftPercent]);
    try {
      // The same window (Monday 03-02 09:00 EST to Wednesday 03-11 09:00 EDT) in elapsed time:
      // 23 of its 215 hours left at "now" (the hour lost to daylight-saving time out of it), 10.7%.
      await kept([{ ...CHECKED, within: { amount: 7, unit: 'day' } }]);
      expect(await goalLeft()).toEqual([['checked', 10.7]]);
      await kept(null);
      expect(await goalLeft()).toEqual([['checked', 12.5]]);
    } finally {
      await kept([CHECKED]);
    }
  });

  it('counts the runs of one playbook only when asked', async () => {
    expect((await rows('on-time', { by: 'csm', playbook: 'renewal' })).map((r) => [r.csm, r.tasks])).toEqual([[ANN, 2]]);
  });

  it('refuses what a report does not take, naming the choices', async () => {
    await expect(rows('funnel', { by: 'stage' })).rejects.toThrow('funnel is reported by playbook, version, csm, segment; not by stage');
    await expect(rows('outcomes', { within: 3 })).rejects.toThrow('outcomes takes no within');
    await expect(rows('on-time', { from: PERIOD.to, to: PERIOD.from })).rejects.toThrow('the period must end after it starts');
  });

  it('reads business time in the default calendar for a version kept without one', async () => {
    await store.updateTable('playbook_sources').set({ calendar: null }).where('playbook_id', '=', 'onboarding').execute();
    try {
      // Friday 22:00 UTC to Tuesday 22:00 UTC, Monday to Friday in UTC with whole days: Monday and Tuesday, 48 hours.
      expect((await rows('on-time'))[0]).toMatchObject({ playbook: 'onboarding', medianLateBusinessHours: 48 });
    } finally {
      const { US_BUSINESS } = await import('./fixture.js');
      await store
        .updateTable('playbook_sources')
        .set({ calendar: JSON.stringify(US_BUSINESS) })
        .where('playbook_id', '=', 'onboarding')
        .execute();
    }
  });
});
