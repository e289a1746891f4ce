/**
 * When the demo's runs start in playbook time. Emails wait for their playbook's send window,
 * so a demo started at night would only show emails waiting for the morning; instead the runs
 * start at the next instant at which every one of their send windows is open (now, when they
 * already are), and their clocks run in real time from there. The demo's worker starts the
 * runs the accounts' triggers start that far ahead (`playbookClockLeadMs`).
 */
import { nextWindowOpening } from '../../calendar/index.js';
import { resolveCalendar } from '../../calendar/resolve.js';
import type { AccountData, IrProgram } from '../../ir/types.js';

export interface WindowedRun {
  program: IrProgram;
  account: AccountData;
}

/** The windows of a few playbooks always overlap within days; this bounds a contradictory set. */
const MAX_ROUNDS = 20;

export function allWindowsOpen(runs: WindowedRun[], now: number): number {
  const year = new Date(now).getUTCFullYear();
  const windows = runs.flatMap(({ program, account }) => {
    const entry = program.playbooks[program.entry]!;
    if (entry.sendWindow === null) return [];
    const calendar = resolveCalendar(entry.calendar === null ? null : program.calendars[entry.calendar]!, account, { from: year, to: year + 1 });
    return [{ window: entry.sendWindow, calendar }];
  });
  let t = now;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const next = Math.max(...windows.map(({ window, calendar }) => nextWindowOpening(t, window, calendar)), t);
    if (next === t) return t;
    t = next;
  }
  throw new Error('the send windows of the demo playbooks never overlap');
}
