/**
 * Coverage (docs/kpis.md): per deployed `coverage`, the accounts its condition holds for on
 * their local date at the report's "now" (the population, read as of then), how many of them
 * a run of its playbook covers — started by then and either still running then or started on
 * or after the day the condition's date terms began to hold — against its target, and the
 * accounts not covered. The condition is evaluated by the interpreter's own evaluator.
 */
import { sql } from 'kysely';
import { defaultCalendar, localDate, shiftDate, type ResolvedCalendar } from '../calendar/index.js';
import type { AccountData, CoverageIr } from '../ir/types.js';
import { evaluate, isTrue } from '../runtime/expr.js';
import { deployedCoverages } from '../store/coverages.js';
import type { Store } from '../store/connect.js';
import { accountsAsOf } from './accounts-as-of.js';
import { accountFieldsOf, resolveFor } from './calendars.js';
import { percent } from './figures.js';
import { epochMs } from './groups.js';
import type { Kpi, ReportRow, UncoveredAccount } from './types.js';

/** A run of a covering playbook, as epoch milliseconds; ended null: still running. */
interface CoveringRun {
  started: number;
  ended: number | null;
}

export const coverage: Kpi = {
  name: 'coverage',
  title: 'Coverage',
  by: ['playbook'],
  perPlaybook: true,
  listsUncovered: true,
  columns: [
    { key: 'coverage', header: 'COVERAGE', type: 'text', description: 'The coverage’s id' },
    { key: 'text', header: 'TITLE', type: 'text', description: 'The coverage’s title' },
    { key: 'target', header: 'TARGET %', type: 'percent', description: 'The coverage’s target' },
    { key: 'population', header: 'ACCOUNTS', type: 'count', description: 'Accounts the condition holds for on their local date at `asOf`' },
    { key: 'covered', header: 'COVERED', type: 'count', description: 'Of those, accounts with a run of the playbook that covers them' },
    { key: 'notCovered', header: 'NOT COVERED', type: 'count', description: 'population − covered (the accounts are listed in the report’s `uncovered`)' },
    { key: 'coveragePercent', header: 'COVERED %', type: 'percent', description: 'covered / population' },
    { key: 'onTarget', header: 'ON TARGET', type: 'flag', description: 'coverage at or above the target' },
  ],
  async compute(store, query) {
    const declared = await deployedCoverages(store);
    if (declared.length === 0) return { rows: [], uncovered: [] };
    const asOf = query.asOf.getTime();
    const accounts = await accountsAsOf(store, query);
    const runs = await coveringRuns(store, [...new Set(declared.map((c) => c.playbook))], query.asOf);
    const calendarOf = calendarsFor(query.asOf.getUTCFullYear());
    const rows: ReportRow[] = [];
    const uncovered: UncoveredAccount[] = [];
    for (const c of declared) {
      let population = 0;
      let covered = 0;
      for (const account of accounts) {
        const calendar = calendarOf(c, account);
        const env = { account, binding: () => undefined, answer: () => undefined, now: asOf, calendar };
        if (!isTrue(evaluate(c.population, env))) continue;
        population++;
        const since = sinceDate(c, account, calendar);
        const runsOf = runs.get(`${c.playbook} ${account.id}`) ?? [];
        if (runsOf.some((r) => r.ended === null || r.ended > asOf || since === null || localDate(r.started, calendar) >= since)) covered++;
        else uncovered.push({ coverage: c.id, account: account.id, name: text(account.name), csm: text(account.csm) });
      }
      const share = percent(covered, population);
      rows.push({
        playbook: c.playbook,
        coverage: c.id,
        text: c.title,
        target: c.target,
        population,
        covered,
        notCovered: population - covered,
        coveragePercent: share,
        onTarget: share === null ? null : share >= c.target,
      });
    }
    return { rows, uncovered };
  },
};

/**
 * A coverage's calendar resolved for an account, once per coverage and the values of the
 * account fields its calendar reads (accounts in one zone share it), with the holidays of
 * `year` and one either side.
 */
function calendarsFor(year: number): (c: CoverageIr, account: AccountData) => ResolvedCalendar {
  const resolved = new Map<string, ResolvedCalendar>();
  const fields = new Map<string, string[]>();
  return (c, account) => {
    if (c.calendar === null) return defaultCalendar;
    let read = fields.get(c.id);
    if (read === undefined) {
      read = accountFieldsOf(c.calendar);
      fields.set(c.id, read);
    }
    const key = JSON.stringify([c.id, ...read.map((f) => account[f] ?? null)]);
    let found = resolved.get(key);
    if (found === undefined) {
      found = resolveFor(c.calendar, account, { from: year - 1, to: year + 1 });
      resolved.set(key, found);
    }
    return found;
  };
}

/** The local date from which a run covers `account`: the latest of the coverage's `since` dates; null: any run. */
function sinceDate(c: CoverageIr, account: AccountData, calendar: ResolvedCalendar): string | null {
  let latest: string | null = null;
  for (const { field, days } of c.since) {
    const date = account[field];
    // The condition held, so its date terms' fields are dates.
    if (typeof date !== 'string') continue;
    const from = shiftDate(date, { amount: Math.abs(days), unit: 'day' }, days < 0 ? 'before' : 'after', calendar);
    if (latest === null || from > latest) latest = from;
  }
  return latest;
}

/** The runs of `playbooks` started by `asOf`, by `<playbook> <account>`. */
async function coveringRuns(store: Store, playbooks: string[], asOf: Date): Promise<Map<string, CoveringRun[]>> {
  const { rows } = await sql<{ playbook_id: string; account_id: string; started: number; ended: number | null }>`
    select playbook_id, account_id, ${epochMs(sql`started_at`)} as started, ${epochMs(sql`ended_at`)} as ended
    from runs where playbook_id = any(${playbooks}::text[]) and started_at <= ${asOf}`.execute(store);
  const byAccount = new Map<string, CoveringRun[]>();
  for (const r of rows) {
    const key = `${r.playbook_id} ${r.account_id}`;
    byAccount.set(key, [...(byAccount.get(key) ?? []), { started: r.started, ended: r.ended }]);
  }
  return byAccount;
}

function text(value: AccountData[string] | undefined): string | null {
  return typeof value === 'string' ? value : null;
}
