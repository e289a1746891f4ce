/**
 * The built-in KPIs (docs/kpis.md) as data: what a report is asked for, the table it answers
 * and what each KPI declares about itself. `playbook report` and `GET /v1/reports/<kpi>`
 * compute every report through `runReport` (index.ts) and differ only in how they show it.
 */
import type { ResolvedCalendar } from '../calendar/index.js';
import type { BookScope } from '../store/account-reads.js';
import type { Store } from '../store/connect.js';

export const KPI_NAMES = [
  'on-time',
  'escalation-lead-time',
  'follow-up',
  'first-touch',
  'outcomes',
  'funnel',
  'goals',
  'goal-trend',
  'versions',
  'coverage',
  'at-risk',
] as const;
export type KpiName = (typeof KPI_NAMES)[number];

/** What `--by` groups a report's rows by. */
export const REPORT_DIMENSIONS = ['playbook', 'version', 'stage', 'csm', 'segment'] as const;
export type ReportBy = (typeof REPORT_DIMENSIONS)[number];

/** A `within` amount: business days or business hours of the run's calendar. */
export type WithinUnit = 'business day' | 'business hour';

export interface ReportQuery {
  /** The period, `[from, to)`: what of a KPI falls in it is docs/kpis.md's to say. */
  from: Date;
  to: Date;
  /** The report's "now": a task still open past its due at this instant is late. */
  asOf: Date;
  by: ReportBy;
  /** The KPI's `within` amount (follow-up, first touch, escalation lead time); its default when absent. */
  within?: number;
  /** A csm's book of business: only its accounts count. Absent: every account. */
  book?: BookScope;
  /** Only the runs of this playbook count (a child playbook's tasks and entries count in the run they belong to). Absent: every playbook. */
  playbook?: string;
}

export type Cell = string | number | boolean | null;
export type ReportRow = Record<string, Cell>;

/** How a column's values read: text, a count, a percentage (0–100), a number of business hours/days/minutes, yes/no. */
/** `instant`: UTC ISO-8601 in JSON and CSV, `YYYY-MM-DD hh:mmZ` in tables and the console. */
export type ColumnType = 'text' | 'instant' | 'count' | 'percent' | 'hours' | 'days' | 'minutes' | 'flag';

export interface ReportColumn {
  key: string;
  header: string;
  type: ColumnType;
  /** What the column holds, for the API's schema and the docs. */
  description: string;
}

export interface Report {
  kpi: KpiName;
  title: string;
  /** UTC ISO-8601. */
  from: string;
  to: string;
  asOf: string;
  by: ReportBy;
  within: { amount: number; unit: WithinUnit } | null;
  /** Every column of `rows`, in order: the group's, then the KPI's. */
  columns: ReportColumn[];
  rows: ReportRow[];
  /** The coverage report only: every account of a coverage's population that no run covers, by coverage then account id. */
  uncovered?: UncoveredAccount[];
}

/** An account a coverage counts in its population without a run of its playbook that covers it. */
export interface UncoveredAccount {
  coverage: string;
  account: string;
  /** The account's `name` and `csm` fields as of the report's "now"; null when it has none. */
  name: string | null;
  csm: string | null;
}

/** What a KPI computes: its rows, and for the coverage report the accounts it lists. */
export type KpiAnswer = ReportRow[] | { rows: ReportRow[]; uncovered: UncoveredAccount[] };

/** The calendar a run's business time is counted in (calendars.ts). */
export interface CalendarLookup {
  of(row: { playbook_id: string; playbook_version: string; account_id: string }): ResolvedCalendar;
}

/** What a KPI module gives the registry. */
export interface Kpi {
  name: KpiName;
  title: string;
  /** The `--by` values it takes; the first is its default. */
  by: readonly ReportBy[];
  /** Whether its rows always name the playbook (a funnel, a goal belong to one), whatever `--by` says. */
  perPlaybook: boolean;
  within?: { unit: WithinUnit; default: number };
  /** Its own columns, after the group's. */
  columns: ReportColumn[];
  /** Whether its report lists `uncovered` accounts beside its rows. */
  listsUncovered?: boolean;
  compute(store: Store, query: Required<Pick<ReportQuery, 'within'>> & ReportQuery, calendars: CalendarSource): Promise<KpiAnswer>;
}

/** Loads the calendars of the runs a KPI's rows name (calendars.ts). */
export type CalendarSource = (rows: ReadonlyArray<{ playbook_id: string; playbook_version: string; account_id: string }>) => Promise<CalendarLookup>;
