/**
 * The `--by` part of every report's SQL: which columns name a row's group, from which
 * expressions. Every KPI's query joins `runs` and (left) `accounts` under those names; a KPI
 * says what its playbook, stage and CSM are (a task's own playbook and assignee, an
 * escalation's stage, the account's `csm` field ...).
 */
import { sql, type RawBuilder } from 'kysely';
import { accountsInBook } from '../store/account-reads.js';
import type { ReportBy, ReportColumn, ReportQuery } from './types.js';

export interface Dimensions {
  playbook: RawBuilder<unknown>;
  /** Absent: the KPI takes no `--by stage`. */
  stage?: RawBuilder<unknown>;
  csm: RawBuilder<unknown>;
}

const VERSION = sql`runs.playbook_version`;
const SEGMENT = sql`accounts.data->>'segment'`;
/** The account's CSM: the `csm` field, as the account list reads it. */
export const ACCOUNT_CSM = sql`accounts.data->>'csm'`;

export const GROUP_COLUMNS: Record<ReportBy, ReportColumn> = {
  playbook: { key: 'playbook', header: 'PLAYBOOK', type: 'text', description: 'The playbook' },
  version: { key: 'version', header: 'VERSION', type: 'text', description: 'The playbook version (content hash) the runs were pinned to' },
  stage: { key: 'stage', header: 'STAGE', type: 'text', description: 'The stage' },
  csm: { key: 'csm', header: 'CSM', type: 'text', description: 'The CSM' },
  segment: { key: 'segment', header: 'SEGMENT', type: 'text', description: "The account's segment" },
};

/** The group's columns for `by`: a version and a stage belong to a playbook; `perPlaybook` KPIs name it always. */
export function groupKeys(by: ReportBy, perPlaybook: boolean): ReportBy[] {
  if (by === 'playbook') return ['playbook'];
  if (by === 'version' || by === 'stage' || perPlaybook) return ['playbook', by];
  return [by];
}

export interface Group {
  keys: ReportBy[];
  /** `<expr> as <key>, …` */
  select: RawBuilder<unknown>;
  /** `<expr>, …` */
  groupBy: RawBuilder<unknown>;
}

export function groupOf(by: ReportBy, perPlaybook: boolean, dims: Dimensions): Group {
  const keys = groupKeys(by, perPlaybook);
  const exprs = keys.map((key) => expressionOf(key, dims));
  return {
    keys,
    select: sql.join(keys.map((key, i) => sql`${exprs[i]} as ${sql.ref(key)}`)),
    groupBy: sql.join(exprs),
  };
}

function expressionOf(key: ReportBy, dims: Dimensions): RawBuilder<unknown> {
  switch (key) {
    case 'playbook':
      return dims.playbook;
    case 'version':
      return VERSION;
    case 'stage':
      if (dims.stage === undefined) throw new Error('this KPI has no stage');
      return dims.stage;
    case 'csm':
      return dims.csm;
    case 'segment':
      return SEGMENT;
  }
}

/** `and <the book>` for a csm, `and <the run's playbook>` for a report of one playbook: nothing for everyone and every playbook. */
export function scopeClause(query: Pick<ReportQuery, 'book' | 'playbook'>): RawBuilder<unknown> {
  const book = query.book === undefined ? sql`` : sql`and ${accountsInBook(query.book)}`;
  return query.playbook === undefined ? book : sql`${book} and runs.playbook_id = ${query.playbook}`;
}

/** A row's group as one string, for grouping fetched rows in TypeScript. */
export function groupKeyOf(row: Record<string, unknown>, keys: readonly string[]): string {
  return JSON.stringify(keys.map((k) => row[k] ?? null));
}

/** A fetched row's group columns, as a report row's cells. */
export function groupCells(row: Record<string, unknown>, keys: readonly string[]): Record<string, string | null> {
  return Object.fromEntries(keys.map((k) => [k, (row[k] as string | null | undefined) ?? null]));
}

/** Entry kinds as SQL literals, not parameters: the planner matches them to the partial indexes (migration 016). */
export function kindsIn(kinds: readonly string[]): RawBuilder<unknown> {
  return sql.join(kinds.map((k) => sql.lit(k)));
}

/** An instant as epoch milliseconds (a float8, which the driver reads as a number: parsing a Date per row costs more than the figure). */
export function epochMs(instant: RawBuilder<unknown>): RawBuilder<number> {
  return sql<number>`(extract(epoch from ${instant}) * 1000)::float8`;
}
