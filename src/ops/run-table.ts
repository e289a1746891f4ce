/** The table `playbook list` prints: one run per line, newest first. */
import { formatUtc } from '../calendar/index.js';
import { alignColumns } from '../simulate/format.js';
import type { RunSummary } from '../temporal/client.js';

/** Executions that ended without the playbook ending them show how they ended instead of the run's last status. */
export function runState(run: RunSummary): string {
  if (run.execution === 'RUNNING' || run.execution === 'COMPLETED') return run.status ?? '-';
  return run.execution.toLowerCase().replace(/_/g, ' ');
}

/** Visibility lists every execution; one continued as new is superseded by the next. */
export function currentRuns(runs: RunSummary[]): RunSummary[] {
  return runs.filter((r) => r.execution !== 'CONTINUED_AS_NEW');
}

export function formatRunTable(runs: RunSummary[]): string {
  if (runs.length === 0) return 'no runs match\n';
  const rows = runs.map((r) => [
    r.workflowId,
    r.playbook ?? '-',
    r.version === null ? '-' : r.version.slice(0, 12),
    r.accountId ?? '-',
    r.stage ?? '-',
    runState(r),
    formatUtc(Date.parse(r.startTime), 'seconds'),
  ]);
  return `${alignColumns([['WORKFLOW ID', 'PLAYBOOK', 'VERSION', 'ACCOUNT', 'STAGE', 'STATUS', 'STARTED'], ...rows]).join('\n')}\n`;
}
