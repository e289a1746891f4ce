/**
 * The human form of `playbook status`: the timeline exactly as `playbook simulate` prints it,
 * then what happens next (the waits with their deadlines and next reminders, open tasks with due dates, inputs
 * scheduled for later, deliveries being retried), how far the store is behind and the inputs the run refused; account text escaped (`forTerminal`).
 */
import { formatLocal } from '../calendar/index.js';
import { formatSimulation } from '../simulate/format.js';
import type { RejectedInput } from '../temporal/contract.js';
import { terminalLines } from '../util/terminal-text.js';
import { stateOf, type RunView } from './run-view.js';

export function formatRunView(view: RunView): string {
  const { status, calendar } = view;
  const header = { playbook: status.playbook, version: status.version, accountId: status.accountId, calendar };
  const timeline = formatSimulation(header, { outcome: status.outcome, outcomeLabel: status.outcomeLabel, timeline: status.timeline, rejected: [] });
  const lines = [`workflow ${view.workflowId}: ${stateOf(view)}${status.stage === null ? '' : `, stage ${status.stage}`}`];
  const next = whatHappensNext(view);
  if (next.length > 0) lines.push('what happens next:', ...next.map((line) => `  ${line}`));
  const lag = status.stored?.pending ?? 0;
  if (lag > 0) lines.push(`store behind: ${lag} of ${status.timeline.length} timeline entries not written yet (written once the store is reachable)`);
  if (status.rejected.length > 0) {
    lines.push('refused inputs:', ...status.rejected.map((r) => `  ${formatLocal(Date.parse(r.at), calendar)}  ${describeRejected(r)}: ${r.reason}`));
  }
  return `${timeline}${terminalLines(lines)}`;
}

function whatHappensNext({ status, calendar }: RunView): string[] {
  if (status.status !== 'running' && status.status !== 'paused') return [];
  const when = (iso: string | null, none: string) => (iso === null ? none : formatLocal(Date.parse(iso), calendar));
  return [
    ...status.pendingWaits.map((w) => {
      if (w.for === 'time') return `waiting until ${when(w.deadline, 'an input arrives')}`;
      const reminder = w.nextReminder === null ? '' : `, next reminder ${when(w.nextReminder, '')}`;
      return `waiting for ${w.for}${w.deadline === null ? '' : ` until ${when(w.deadline, '')}`}${reminder}`;
    }),
    ...status.openTasks.map((t) => {
      const owner = t.assignee === null ? '' : ` for ${t.assignee}`;
      const due = t.due === null ? '' : `, due ${when(t.due, '')}`;
      return `open task ${t.name} "${t.title}"${owner}${due}${t.playbook === undefined ? '' : ` (in ${t.playbook})`}`;
    }),
    ...status.scheduled.map((s) => `${s.kind} input scheduled for ${when(s.at, '')}`),
    ...status.deliveries.map((d) => {
      const since = d.since === null ? '' : ` since ${when(d.since, '')}`;
      return `retrying ${d.action}${since}, attempt ${d.attempt}${d.lastError === null ? '' : `, last error: ${d.lastError}`}`;
    }),
    ...(status.goals ?? []).flatMap((g) =>
      g.state === 'pending'
        ? [`goal ${g.goal} "${g.text}" (target ${g.target}%) ${g.deadline === null ? 'not started yet' : `due by ${when(g.deadline, '')}`}`]
        : [],
    ),
    ...(status.status === 'paused' ? ['paused: no new step starts until `playbook resume`'] : []),
  ];
}

function describeRejected({ input }: RejectedInput): string {
  switch (input.kind) {
    case 'event':
      return `event ${JSON.stringify(input.name)}`;
    case 'complete':
      return `completion of task ${String(input.task)}`;
    case 'account':
      return 'account update';
    default:
      return input.kind;
  }
}
