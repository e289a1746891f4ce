/**
 * The built-in KPIs (docs/kpis.md) and the one way to compute a report: `playbook report` and
 * `GET /v1/reports/<kpi>` both call `runReport`, so the CLI and the API show the same figures.
 * Bad requests (an unknown KPI, a `--by` it does not take, a period that ends before it starts)
 * are UserErrors with the choices.
 */
import { UserError } from '../errors.js';
import type { Store } from '../store/connect.js';
import { atRisk } from './at-risk.js';
import { storeCalendars } from './calendars.js';
import { escalationLeadTime } from './escalation-lead-time.js';
import { firstTouch } from './first-touch.js';
import { followUp } from './follow-up.js';
import { funnel } from './funnel.js';
import { goalTrend } from './goal-trend.js';
import { goals } from './goals.js';
import { GROUP_COLUMNS, groupKeys } from './groups.js';
import { onTime } from './on-time.js';
import { outcomes } from './outcomes.js';
import { coverage } from './coverage.js';
import { KPI_NAMES, type Kpi, type KpiName, type Report, type ReportBy, type ReportQuery } from './types.js';
import { versions } from './versions.js';

export const KPIS: Record<KpiName, Kpi> = {
  'on-time': onTime,
  'escalation-lead-time': escalationLeadTime,
  'follow-up': followUp,
  'first-touch': firstTouch,
  outcomes,
  funnel,
  goals,
  'goal-trend': goalTrend,
  versions,
  coverage,
  'at-risk': atRisk,
};

/** A report's period when none is given: the 90 days before its "now". */
export const DEFAULT_PERIOD_DAYS = 90;
const DAY_MS = 86_400_000;
/**
 * How far a report reaches: business time is counted day by day and holidays are resolved per
 * year, so a period (and its "now") spanning centuries would hold a request for minutes.
 */
const MAX_SPAN_YEARS = 10;
const MAX_SPAN_MS = MAX_SPAN_YEARS * 366 * DAY_MS;

export function kpiNamed(name: string): Kpi {
  const kpi = (KPI_NAMES as readonly string[]).includes(name) ? KPIS[name as KpiName] : undefined;
  if (kpi === undefined) throw new UserError(`unknown report ${JSON.stringify(name)}; the reports are ${KPI_NAMES.join(', ')}`, 'usage');
  return kpi;
}

export interface ReportRequest {
  from?: Date;
  to?: Date;
  /** Default: now. */
  asOf?: Date;
  by?: ReportBy;
  within?: number;
  book?: ReportQuery['book'];
  playbook?: string;
}

export async function runReport(store: Store, name: KpiName, request: ReportRequest = {}): Promise<Report> {
  const kpi = KPIS[name];
  const asOf = request.asOf ?? new Date();
  const to = request.to ?? asOf;
  const from = request.from ?? new Date(to.getTime() - DEFAULT_PERIOD_DAYS * DAY_MS);
  if (from.getTime() >= to.getTime())
    throw new UserError(`the period must end after it starts; got from ${from.toISOString()} to ${to.toISOString()}`, 'usage');
  if (Math.max(to.getTime(), asOf.getTime()) - Math.min(from.getTime(), asOf.getTime()) > MAX_SPAN_MS) {
    throw new UserError(`a report spans at most ${MAX_SPAN_YEARS} years, its period and its as-of instant together`, 'usage');
  }
  const by = request.by ?? kpi.by[0]!;
  if (!kpi.by.includes(by)) throw new UserError(`${kpi.name} is reported by ${kpi.by.join(', ')}; not by ${by}`, 'usage');
  if (request.within !== undefined && kpi.within === undefined) throw new UserError(`${kpi.name} takes no within`, 'usage');
  if (request.within !== undefined && !(Number.isFinite(request.within) && request.within >= 0)) {
    throw new UserError(`within must be a number of ${kpi.within!.unit}s, 0 or more; got ${request.within}`, 'usage');
  }
  const within = kpi.within === undefined ? null : { amount: request.within ?? kpi.within.default, unit: kpi.within.unit };
  const query = {
    from,
    to,
    asOf,
    by,
    within: within?.amount ?? 0,
    ...(request.book !== undefined && { book: request.book }),
    ...(request.playbook !== undefined && { playbook: request.playbook }),
  };
  const later = asOf.getTime() > to.getTime() ? asOf : to;
  const answer = await kpi.compute(store, query, storeCalendars(store, from, later));
  const { rows, uncovered } = Array.isArray(answer) ? { rows: answer, uncovered: undefined } : answer;
  return {
    kpi: kpi.name,
    title: kpi.title,
    from: from.toISOString(),
    to: to.toISOString(),
    asOf: asOf.toISOString(),
    by,
    within,
    columns: [...groupKeys(by, kpi.perPlaybook).map((k) => GROUP_COLUMNS[k]), ...kpi.columns],
    rows,
    ...(uncovered !== undefined && { uncovered }),
  };
}
