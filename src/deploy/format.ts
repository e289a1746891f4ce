/** What `playbook deploy`, `playbook deployed` and `playbook throttle list` print: human text, and the JSON of `--json`. */
import { formatUtc } from '../calendar/index.js';
import { alignColumns } from '../simulate/format.js';
import type { DeployedSummary, DeployResult } from '../temporal/registry-contract.js';
import type { ThrottleView } from '../temporal/throttle-contract.js';
import { changesAnything } from '../temporal/registry-state.js';
import { describeTrigger } from '../ir/describe-trigger.js';
import type { Notified } from './notify.js';
import type { Switched, SwitchedPlaybook, SwitchedSummary } from './playbook-switch.js';

export interface DeployReport {
  dryRun: boolean;
  result: DeployResult;
  notified: Notified | null;
}

/**
 * A headline, one line per playbook (new, changed with old → new version, removed,
 * unchanged), whether the account fields changed, and how the account entities were told.
 */
export function formatDeployResult({ dryRun, result, notified }: DeployReport): string {
  const changed = changesAnything(result);
  const headline = dryRun
    ? changed
      ? `dry run, nothing registered: deploying would make generation ${result.generation}`
      : `dry run, nothing registered: nothing would change (generation ${result.generation})`
    : changed
      ? `deployed generation ${result.generation}`
      : `nothing changed (generation ${result.generation})`;
  const rows = [
    ...result.added.map((p) => ['new', p.id, p.version]),
    ...result.changed.map((p) => ['changed', p.id, `${p.from} → ${p.to}`]),
    ...result.removed.map((p) => ['removed', p.id, p.version]),
    ...result.unchanged.map((p) => ['unchanged', p.id, p.version]),
  ];
  const lines = [headline, ...alignColumns(rows).map((row) => `  ${row}`)];
  if (result.fieldsChanged) lines.push('  account fields changed');
  if (notified !== null) lines.push(describeNotified(notified));
  return `${lines.join('\n')}\n`;
}

export function describeNotified(notified: Notified): string {
  switch (notified.via) {
    case 'batch':
      return `account entities told to re-read their triggers (batch operation ${notified.jobId})`;
    case 'signals':
      return `account entities told to re-read their triggers (${notified.count} signalled)`;
    case 'none':
      return `warning: account entities were not told to re-read their triggers (${notified.problem}); they re-read them daily`;
  }
}

export function deployReportJson(report: DeployReport): unknown {
  return { dryRun: report.dryRun, ...report.result, notified: report.notified };
}

/**
 * Every deployed playbook: id and title, version with when and by whom it was deployed,
 * and its triggers as written in the playbook.
 */
export function formatDeployed(summary: SwitchedSummary): string {
  if (summary.playbooks.length === 0) return `nothing is deployed (generation ${summary.generation}): run \`playbook deploy\`\n`;
  const blocks = summary.playbooks.map((p) => {
    const earlier = p.history.length === 0 ? '' : `; ${p.history.length} earlier version${p.history.length === 1 ? '' : 's'}`;
    return [
      `${p.title === null ? p.id : `${p.id} ${JSON.stringify(p.title)}`}${p.enabled ? '' : '  [disabled]'}`,
      `  version  ${p.version} (deployed ${formatUtc(Date.parse(p.deployedAt), 'seconds')} by ${p.deployedBy}${earlier})`,
      ...(p.enabled ? [] : [`  disabled ${switchedWhen(p)}: no new runs start (\`playbook enable ${p.id}\`)`]),
      ...p.triggers.map((t) => `  trigger  ${describeTrigger(t)}`),
      ...(p.throttle === undefined
        ? []
        : [`  throttle start at most ${p.throttle.perDay} per day; ${p.throttle.queued} queued (\`playbook throttle list ${p.id}\`)`]),
    ].join('\n');
  });
  const headline = `generation ${summary.generation}, last changed ${summary.deployedAt === null ? '-' : formatUtc(Date.parse(summary.deployedAt), 'seconds')}`;
  return `${[headline, ...blocks].join('\n\n')}\n`;
}

/** `by cli:ann at 2026-12-03 15:00:00 UTC`. */
function switchedWhen(p: SwitchedPlaybook): string {
  return `by ${p.switchedBy ?? '-'} at ${p.switchedAt === null ? '-' : formatUtc(Date.parse(p.switchedAt), 'seconds')}`;
}

/** `disabled onboarding` and what came of it: the runs paused or resumed, how the entities were told. */
export function formatSwitched({ playbook, enabled, changed, by, at, runs, notified }: Switched): string {
  const state = enabled ? 'enabled' : 'disabled';
  if (!changed) return `${playbook} is ${state} already: nothing changed\n`;
  const lines = [`${state} ${playbook} (by ${by ?? '-'} at ${at === null ? '-' : formatUtc(Date.parse(at), 'seconds')})`];
  if (runs.length > 0) lines.push(`  ${enabled ? 'resumed' : 'paused'} ${runs.length} run${runs.length === 1 ? '' : 's'}: ${runs.join(', ')}`);
  if (notified !== null) lines.push(describeNotified(notified));
  return `${lines.join('\n')}\n`;
}

/** The summary with each trigger also as text. */
export function deployedJson(summary: SwitchedSummary): unknown {
  return { ...summary, playbooks: summary.playbooks.map((p) => ({ ...p, triggerText: p.triggers.map(describeTrigger) })) };
}

/** A throttle's queue: what is counted today, when the queue next starts firings, and each queued firing in order. */
export function formatThrottle(view: ThrottleView): string {
  const { playbook, perDay, timezone, day, startedToday, nextRelease, queue } = view;
  if (perDay === null) return `${playbook}: no firing has reached its throttle yet; nothing is queued\n`;
  const lines = [
    `${playbook}: start at most ${perDay} per day (days in ${timezone}); ${startedToday} started on ${day}; ${queue.length} queued`,
    ...(nextRelease === null ? [] : [`next starts from the queue at ${formatUtc(Date.parse(nextRelease), 'seconds')}`]),
  ];
  if (queue.length > 0) {
    const rows = [
      ['POSITION', 'ACCOUNT', 'FIRED', 'TRIGGER'],
      ...queue.map((q) => [String(q.position), q.accountId, formatUtc(Date.parse(q.firedAt), 'seconds'), q.trigger]),
    ];
    lines.push(...alignColumns(rows).map((line) => `  ${line}`));
  }
  return `${lines.join('\n')}\n`;
}
