/**
 * `playbook runs export`: every run (or every timeline entry) of a period as CSV or JSON
 * lines, for BI tools. Rows are read in pages of `EXPORT_BATCH` by key and written as they
 * come, so an export of millions of rows holds one page in memory. CSV has a header line and
 * quotes a field (doubling its quotes) whenever it holds a comma, quote, CR or LF; an entry's
 * whole JSON is one field. Two runs of one workflow id (the playbook ran again for the
 * account) are two runs here, each with its own entries.
 */
import { sql } from 'kysely';
import type { Store } from './connect.js';

export const EXPORT_FORMATS = ['csv', 'jsonl'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  format: ExportFormat;
  /** One line per timeline entry instead of one per run. */
  entries?: boolean;
  /** Runs started (entries emitted) at or after this instant. */
  from?: Date;
  /** ... and before this one. */
  to?: Date;
  playbook?: string;
}

const EXPORT_BATCH = 1000;

export const RUN_COLUMNS = [
  'workflow_id',
  'playbook',
  'version',
  'account_id',
  'started_by',
  'status',
  'outcome',
  'outcome_label',
  'stage',
  'started_at',
  'ended_at',
] as const;
export const ENTRY_COLUMNS = ['workflow_id', 'seq', 'at', 'kind', 'stage', 'entry'] as const;

type Row = Record<string, string | number | null | Record<string, unknown>>;

/** The export's lines, each ending in `\n`, header first for CSV. */
export async function* exportLines(store: Store, options: ExportOptions): AsyncGenerator<string> {
  const columns = options.entries ? ENTRY_COLUMNS : RUN_COLUMNS;
  if (options.format === 'csv') yield csvLine(columns.map(String));
  for await (const row of options.entries ? entryRows(store, options) : runRows(store, options)) {
    yield options.format === 'csv' ? csvLine(columns.map((c) => csvValue(row[c] ?? null))) : `${JSON.stringify(row)}\n`;
  }
}

async function* runRows(store: Store, { from, to, playbook }: ExportOptions): AsyncGenerator<Row> {
  let after: { workflowId: string; runId: string } | null = null;
  for (;;) {
    let query = store.selectFrom('runs').selectAll();
    if (from !== undefined) query = query.where('started_at', '>=', from);
    if (to !== undefined) query = query.where('started_at', '<', to);
    if (playbook !== undefined) query = query.where('playbook_id', '=', playbook);
    if (after !== null) query = query.where(sql<boolean>`(runs.workflow_id, runs.run_id) > (${after.workflowId}, ${after.runId})`);
    const rows = await query.orderBy('workflow_id').orderBy('run_id').limit(EXPORT_BATCH).execute();
    for (const r of rows) {
      yield {
        workflow_id: r.workflow_id,
        playbook: r.playbook_id,
        version: r.playbook_version,
        account_id: r.account_id,
        started_by: r.started_by,
        status: r.status,
        outcome: r.outcome,
        outcome_label: r.outcome_label,
        stage: r.stage,
        started_at: r.started_at.toISOString(),
        ended_at: r.ended_at?.toISOString() ?? null,
      };
    }
    if (rows.length < EXPORT_BATCH) return;
    const last = rows.at(-1)!;
    after = { workflowId: last.workflow_id, runId: last.run_id };
  }
}

async function* entryRows(store: Store, { from, to, playbook }: ExportOptions): AsyncGenerator<Row> {
  let after: { workflowId: string; runId: string; seq: number } | null = null;
  for (;;) {
    let query = store.selectFrom('timeline_entries').selectAll('timeline_entries');
    if (from !== undefined) query = query.where('at', '>=', from);
    if (to !== undefined) query = query.where('at', '<', to);
    if (playbook !== undefined) query = query.innerJoin('runs', 'runs.run_id', 'timeline_entries.run_id').where('runs.playbook_id', '=', playbook);
    if (after !== null) {
      query = query.where(
        sql<boolean>`(timeline_entries.workflow_id, timeline_entries.run_id, timeline_entries.seq) > (${after.workflowId}, ${after.runId}, ${after.seq})`,
      );
    }
    const rows = await query
      .orderBy('timeline_entries.workflow_id')
      .orderBy('timeline_entries.run_id')
      .orderBy('timeline_entries.seq')
      .limit(EXPORT_BATCH)
      .execute();
    for (const r of rows) yield { workflow_id: r.workflow_id, seq: r.seq, at: r.at.toISOString(), kind: r.kind, stage: r.stage, entry: r.entry };
    if (rows.length < EXPORT_BATCH) return;
    const last = rows.at(-1)!;
    after = { workflowId: last.workflow_id, runId: last.run_id, seq: last.seq };
  }
}

function csvValue(value: Row[string]): string {
  if (value === null) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** One CSV record (RFC 4180). */
export function csvLine(fields: string[]): string {
  return `${fields.map((f) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',')}\n`;
}
