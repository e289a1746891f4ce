/**
 * The main job, end to end on the embedded default: a dev server and a worker in this
 * process, the reference playbooks started for the sample accounts, an event and a task
 * completion sent the way a CSM's tools would, each run's status once it has processed them,
 * and the emails the dev outbox "sent". Runs are real and in real time, so the demo shows the
 * first steps and what each run now waits for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { loadAccountFile } from '../../accounts/load.js';
import { compileFile } from '../../compile/compile.js';
import { defaultConfig } from '../../config/load.js';
import type { PlaybookConfig } from '../../config/types.js';
import { alignColumns } from '../../simulate/format.js';
import { readOutbox } from '../../sinks/outbox.js';
import { completeTask, sendEvent, startRun } from '../../temporal/client.js';
import { removeDevState, writeDevState } from '../dev-state.js';
import { formatRunView } from '../format-status.js';
import { startLocalStack } from '../local-stack.js';
import { viewRun } from '../run-view.js';
import { withTemporal } from '../temporal-session.js';
import { allWindowsOpen, type WindowedRun } from './open-window.js';
import { hasOpenTask, untilRun, waitsForEvent } from './wait-for-run.js';

export interface DemoOptions {
  /** The reference workspace: `<workspace>/<playbook>.playbook` and `<workspace>/accounts/`. */
  workspace: string;
  /** Keep the server's state in this file; default a fresh temporary one. */
  dbFile?: string;
  /** Leave the server, worker and web UI running until SIGINT / SIGTERM (the Temporal SDK stops the worker on them). */
  keep?: boolean;
  /** One progress line, as things happen. */
  progress: (line: string) => void;
  /** The report: statuses and outbox. */
  out: (text: string) => void;
}

/** The runs the demo starts: playbook id and sample account file. */
const RUNS = [
  { playbook: 'onboarding-enterprise', account: 'acme-enterprise.json' },
  { playbook: 're-engagement', account: 'initech-quiet.json' },
  { playbook: 'support-escalation', account: 'initech-quiet.json' },
] as const;

/** The reference playbooks address these roles; the demo has no configuration file. */
const DEMO_ROLES = { 'support-lead': 'support-lead@example.com', 'solutions-engineering': 'solutions-engineering@example.com' };

interface DemoRun extends WindowedRun {
  version: string;
}

interface Started extends DemoRun {
  workflowId: string;
}

export async function runDemo(options: DemoOptions): Promise<void> {
  const { progress } = options;
  progress(`compiling the reference playbooks in ${options.workspace}`);
  const runs = await Promise.all(RUNS.map((r) => prepare(options.workspace, r.playbook, r.account)));

  const scratch = mkdtempSync(path.join(tmpdir(), 'playbook-demo-'));
  const base = defaultConfig(scratch);
  const config: PlaybookConfig = { ...base, roles: DEMO_ROLES };
  const dbFile = options.dbFile ?? path.join(scratch, 'temporal.db');
  progress(`starting the Temporal dev server (state in ${dbFile}) and a worker; bundling the workflow code takes a few seconds`);
  const stack = await startLocalStack({ config, dbFile, ...(!options.keep && { uiPort: false }) });
  const devStateDir = defaultConfig().dataDir;
  try {
    progress(`Temporal is up at ${stack.server.address}${stack.server.uiUrl === undefined ? '' : `, web UI ${stack.server.uiUrl}`}`);
    await withTemporal(stack.config.temporal, (client) => play(client, stack.config, runs, options));
    if (options.keep) {
      writeDevState(devStateDir, { address: stack.server.address, namespace: stack.server.namespace, uiUrl: stack.server.uiUrl ?? null, pid: process.pid });
      progress(`kept running: web UI ${stack.server.uiUrl ?? '-'}; try \`playbook list\` or \`playbook status acct-acme-001\` in this folder; Ctrl-C to stop`);
      await stack.workerDone;
    }
  } finally {
    progress('stopping the worker and the dev server');
    await stack.stop();
    removeDevState(devStateDir);
    if (options.dbFile === undefined) rmSync(scratch, { recursive: true, force: true });
  }
  progress('done');
}

async function prepare(workspace: string, playbook: string, accountFile: string): Promise<DemoRun> {
  const { program, version } = await compileFile(path.join(workspace, `${playbook}.playbook`), { workspace });
  const account = await loadAccountFile(path.join(workspace, 'accounts', accountFile), program.fields);
  return { program, version, account };
}

async function play(client: Client, config: PlaybookConfig, runs: DemoRun[], { progress, out }: DemoOptions): Promise<void> {
  const now = Date.now();
  const startAt = allWindowsOpen(runs, now);
  const [onboarding, reEngagement, escalation] = await Promise.all(runs.map((run) => start(client, config, run, startAt)));
  if (startAt > now) {
    progress(
      `playbook time starts at ${new Date(startAt).toISOString()}, the next moment every send window is open ` +
        `(${describeLead(startAt - now)} ahead of this machine's clock), and runs in real time from there`,
    );
  }
  for (const run of [onboarding!, reEngagement!, escalation!]) progress(`started ${run.program.entry} for ${run.account.name} (${run.workflowId})`);

  await untilRun(client, onboarding!.workflowId, 'its kickoff wait', waitsForEvent('kickoff.held'));
  await sendEvent(client, onboarding!.workflowId, { name: 'kickoff.held', payload: { attendees: 'Dana Whitfield and Robert Chen' } });
  progress(`sent event kickoff.held to ${onboarding!.workflowId}`);

  await untilRun(client, escalation!.workflowId, 'its wait for the resolution', waitsForEvent('ticket.resolved'));
  await sendEvent(client, escalation!.workflowId, { name: 'ticket.resolved', payload: { summary: 'export job fixed in release 4.2.1' } });
  progress(`sent event ticket.resolved to ${escalation!.workflowId}`);

  await untilRun(client, onboarding!.workflowId, 'the executive sponsor task', hasOpenTask('sponsor'));
  await completeTask(client, onboarding!.workflowId, { task: 'sponsor', answers: { still_in_role: true, engagement: 'engaged' } });
  progress(`completed task sponsor of ${onboarding!.workflowId}: sponsor still in role, engaged`);

  await untilRun(client, onboarding!.workflowId, 'the welcome call', hasOpenTask('welcome_call'));
  await untilRun(client, escalation!.workflowId, 'the follow-up task', hasOpenTask('follow_up'));
  await untilRun(client, reEngagement!.workflowId, 'its wait for a reply', waitsForEvent('email.replied'));
  progress('all runs have processed their inputs; their status:');

  for (const run of [onboarding!, reEngagement!, escalation!]) out(`\n${formatRunView(await viewRun(client, run.workflowId))}`);
  out(`\n${await formatOutbox(config)}`);
}

async function start(client: Client, config: PlaybookConfig, run: DemoRun, startAt: number): Promise<Started> {
  const { workflowId } = await startRun(client, { ...run, taskQueue: config.temporal.taskQueue, roles: config.roles, startAt });
  return { ...run, workflowId };
}

async function formatOutbox(config: PlaybookConfig): Promise<string> {
  if (config.email.kind !== 'outbox') return '';
  const messages = await readOutbox(config.email.dir);
  const rows = messages.map((m) => [m.at.slice(0, 19).replace('T', ' ') + 'Z', m.to, m.subject]);
  const table = messages.length === 0 ? ['(empty)'] : alignColumns([['WRITTEN', 'TO', 'SUBJECT'], ...rows]);
  return `outbox ${config.email.dir} (emails "sent" by the dev email sink):\n${table.join('\n')}\n`;
}

function describeLead(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  return hours === 0 ? `${minutes} min` : `${hours} h ${minutes % 60} min`;
}
