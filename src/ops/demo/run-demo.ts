/**
 * The main job, end to end on the embedded default and through the product's operations path:
 * a dev server and a worker in this process, the reference workspace deployed and its sample
 * accounts imported, the events a CRM and a helpdesk would send to the accounts, whose
 * entities start the playbooks their triggers name and forward events to the open runs, a
 * task completion, then what each account triggered, each run's status once it has processed
 * its inputs, and the emails the dev outbox "sent". Runs are real and in real time, so the
 * demo shows the first steps and what each run now waits for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { recentTriggers } from '../../accounts/format-account.js';
import { formatUtc } from '../../calendar/index.js';
import { importAccounts } from '../../accounts/import/import.js';
import { UserError } from '../../errors.js';
import { defaultConfig } from '../../config/load.js';
import type { PlaybookConfig, StoreConfig } from '../../config/types.js';
import { deployPrepared } from '../../deploy/deploy.js';
import { formatDeployResult } from '../../deploy/format.js';
import { alignColumns } from '../../simulate/format.js';
import { readOutbox } from '../../sinks/outbox.js';
import { countDeliveries } from '../../store/delivery-ledger.js';
import { describeStoreUrl } from '../../store/connect.js';
import { getStoredRun, storedTimeline } from '../../store/reads.js';
import { openMigratedStore, withStore } from '../../store/session.js';
import { pollUntil } from '../../util/poll-until.js';
import { statusOfStoredRun } from '../stored-runs.js';
import { getAccount, sendAccountEvent } from '../../temporal/account-client.js';
import { cancel, completeTask } from '../../temporal/client.js';
import { removeDevState, writeDevState } from '../dev-state.js';
import { formatRunView } from '../format-status.js';
import { startLocalStack } from '../local-stack.js';
import { viewRun } from '../run-view.js';
import { withTemporal } from '../temporal-session.js';
import { startDemoConsole } from './demo-console.js';
import { allWindowsOpen, type WindowedRun } from './open-window.js';
import { loadReferenceWorkspace, type ReferenceWorkspace } from './reference-workspace.js';
import { hasOpenTask, untilOpened, untilRun, waitsForEvent } from './wait-for-run.js';

export interface DemoOptions {
  /** The reference workspace: `<workspace>/<playbook>.playbook` and `<workspace>/accounts/`. */
  workspace: string;
  /** Keep the server's state in this file; default a fresh temporary one. */
  dbFile?: string;
  /** Leave the server, worker and web UI running until SIGINT / SIGTERM (the Temporal SDK stops the worker on them). */
  keep?: boolean;
  /** One progress line, as things happen. */
  progress: (line: string) => void;
  /** The report: deploy summary, trigger logs, statuses and outbox. */
  out: (text: string) => void;
}

const ACME = 'acct-acme-001';
const INITECH = 'acct-initech-027';
/** The ticket the helpdesk escalates for Initech: support-escalation runs one ladder per ticket. */
const TICKET = { id: 'SUP-47102', priority: 'low', subject: 'Monthly export times out' };

/** The runs the demo drives: started by the accounts' triggers, then given events and a task. */
const DRIVEN = [
  { playbook: 'onboarding-enterprise', account: ACME },
  { playbook: 're-engagement', account: INITECH },
  { playbook: 'support-escalation', account: INITECH },
] as const;

/** The reference playbooks address these roles; the demo has no configuration file. */
const DEMO_ROLES = { 'support-lead': 'support-lead@example.com', 'solutions-engineering': 'solutions-engineering@example.com' };

/** Who sends the demo's events, as the account entity records it. */
const SENDER = 'demo';

export async function runDemo(options: DemoOptions): Promise<void> {
  const { progress } = options;
  progress(`checking and compiling the reference workspace ${options.workspace}`);
  const reference = await loadReferenceWorkspace(options.workspace);
  const playbookClockLeadMs = clockLead(reference, progress);

  const scratch = mkdtempSync(path.join(tmpdir(), 'playbook-demo-'));
  const base = defaultConfig(scratch);
  const config: PlaybookConfig = { ...base, roles: DEMO_ROLES };
  const dbFile = options.dbFile ?? path.join(scratch, 'temporal.db');
  const embeddedStoreDir = path.join(scratch, 'store');
  progress(
    `starting the embedded store (PGlite, data in ${embeddedStoreDir}), the Temporal dev server (state in ${dbFile}) and a worker; bundling the workflow code takes a few seconds`,
  );
  const stack = await startLocalStack({ config, dbFile, playbookClockLeadMs, embeddedStoreDir, ...(!options.keep && { uiPort: false }) });
  const devStateDir = defaultConfig().dataDir;
  try {
    progress(`Temporal is up at ${stack.server.address}${stack.server.uiUrl === undefined ? '' : `, web UI ${stack.server.uiUrl}`}`);
    await withTemporal(stack.config.temporal, (client) => play(client, stack.config, reference, options));
    if (options.keep) {
      writeDevState(devStateDir, {
        address: stack.server.address,
        namespace: stack.server.namespace,
        uiUrl: stack.server.uiUrl ?? null,
        ...(stack.config.store !== null && { storeUrl: stack.config.store.url }),
        pid: process.pid,
      });
      const csm = required(reference.accounts.find((a) => a.id === ACME)?.csm, `the csm of sample account ${ACME}`);
      const served = await startDemoConsole(stack.config, String(csm), scratch);
      try {
        progress(
          `kept running: web UI ${stack.server.uiUrl ?? '-'}; try \`playbook accounts show ${ACME}\`, \`playbook list\` or ` +
            `\`playbook status ${ACME}\` in this folder; Ctrl-C to stop`,
        );
        options.out(
          `\nconsole: ${served.api.consoleUrl}/\n` +
            `  sign in as the CSM of ${ACME} (${String(csm)}) with token ${served.csmToken}\n` +
            `  or as CS Ops with token ${served.csopsToken}\n`,
        );
        await stack.workerDone;
      } finally {
        await served.api.close();
      }
    }
  } finally {
    progress('stopping the worker, the dev server and the store');
    await stack.stop();
    removeDevState(devStateDir);
    if (options.dbFile === undefined) rmSync(scratch, { recursive: true, force: true });
  }
  progress('done');
}

/** How far ahead of this machine's clock the triggered runs start their playbook clock: see open-window.ts. */
function clockLead({ deployment, accounts }: ReferenceWorkspace, progress: (line: string) => void): number {
  const runs: WindowedRun[] = DRIVEN.map(({ playbook, account }) => ({
    program: required(deployment.request.playbooks.find((p) => p.id === playbook)?.program, `playbook ${playbook}`),
    account: required(
      accounts.find((a) => a.id === account),
      `sample account ${account}`,
    ),
  }));
  const now = Date.now();
  const startAt = allWindowsOpen(runs, now);
  if (startAt > now) {
    progress(
      `triggered runs start in playbook time at ${new Date(startAt).toISOString()}, the next moment every send window is open ` +
        `(${describeLead(startAt - now)} ahead of this machine's clock, a shift only the demo makes), and run in real time from there`,
    );
  }
  return startAt - now;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new UserError(`the demo needs ${what} in the reference workspace`, 'invalid');
  return value;
}

async function play(client: Client, config: PlaybookConfig, reference: ReferenceWorkspace, { progress, out }: DemoOptions): Promise<void> {
  const taskQueue = config.temporal.taskQueue;
  progress('deploying the workspace, as `playbook deploy` does');
  const deployed =
    config.store === null
      ? await deployPrepared(client, taskQueue, reference.deployment)
      : await withStore(config.store, (store) => deployPrepared(client, taskQueue, reference.deployment, { store }));
  out(formatDeployResult(deployed));

  progress(`importing the sample accounts in ${reference.accountsDir}, as \`playbook accounts import\` does; their entities evaluate the deployed triggers`);
  const { imported } = await importAccounts(client, taskQueue, reference.accounts, { by: `import:${SENDER}` });
  progress(`imported ${imported} accounts`);
  const reEngagement = await untilOpened(client, INITECH, 're-engagement');
  progress(`${INITECH} started ${reEngagement} on import`);

  await sendAccountEvent(client, ACME, { name: 'account.created', by: SENDER });
  progress(`sent event account.created to account ${ACME}, as the CRM would`);
  await sendAccountEvent(client, INITECH, { name: 'ticket.escalated', payload: TICKET, by: SENDER });
  progress(`sent event ticket.escalated for ticket ${TICKET.id} to account ${INITECH}, as the helpdesk would`);
  const onboarding = await untilOpened(client, ACME, 'onboarding-enterprise');
  const escalation = await untilOpened(client, INITECH, 'support-escalation', [TICKET.id]);
  progress(`${ACME} started ${onboarding}; ${INITECH} started ${escalation}`);

  await untilRun(client, onboarding, 'its kickoff wait', waitsForEvent('kickoff.held'));
  await sendAccountEvent(client, ACME, { name: 'kickoff.held', payload: { attendees: 'Dana Whitfield and Robert Chen' }, by: SENDER });
  progress(`sent event kickoff.held to account ${ACME}, whose entity forwards it to the account's open runs`);

  await untilRun(client, escalation, 'its wait for the resolution', waitsForEvent('ticket.resolved'));
  await sendAccountEvent(client, INITECH, {
    name: 'ticket.resolved',
    payload: { ticket_id: TICKET.id, summary: 'export job fixed in release 4.2.1' },
    by: SENDER,
  });
  progress(`sent event ticket.resolved for ticket ${TICKET.id} to account ${INITECH}, whose entity forwards it to the account's open runs`);

  await untilRun(client, onboarding, 'the executive sponsor task', hasOpenTask('sponsor'));
  await completeTask(client, onboarding, { task: 'sponsor', answers: { still_in_role: true, engagement: 'engaged', new_sponsor: '' } });
  progress(`completed task sponsor of ${onboarding}: sponsor still in role, engaged`);

  await untilRun(client, onboarding, 'the welcome call', hasOpenTask('welcome_call'));
  await untilRun(client, escalation, 'the follow-up task', hasOpenTask('follow_up'));
  await untilRun(client, reEngagement, 'its wait for a reply', waitsForEvent('email.replied'));
  progress("all runs have processed their inputs; what each account's triggers started, then the status of the runs the demo drove:");

  for (const { id, name } of reference.accounts) {
    const { triggerLog } = await getAccount(client, id);
    out(`\naccount ${id} (${String(name)})\n${recentTriggers(triggerLog).join('\n')}\n`);
  }
  for (const run of [onboarding, escalation]) out(`\n${formatRunView(await viewRun(client, run))}`);
  out(`\n${await formatOutbox(config)}`);
  if (config.store !== null) out(`\n${await fromTheStore(client, config.store, reEngagement, progress)}`);
}

/**
 * What people read comes from the store: Initech's re-engagement, cancelled as CS Ops would
 * once the customer answered on the phone, as the store recorded it (its timeline outlives
 * Temporal's retention), and the delivery ledger shared by all workers.
 */
async function fromTheStore(client: Client, storeConfig: StoreConfig, run: string, progress: (line: string) => void): Promise<string> {
  const store = await openMigratedStore(storeConfig);
  try {
    await cancel(client, run);
    progress(`cancelled ${run}, as CS Ops would once ${INITECH} answered on the phone; reading it back from the store`);
    const stored = await pollUntil(
      () => getStoredRun(store, run),
      (r) => r?.status === 'cancelled',
      {
        timeoutMs: 60_000,
        intervalMs: 250,
        failure: () => new Error(`the store did not record ${run} as cancelled within 60 s`),
      },
    );
    const { calendar } = await viewRun(client, run);
    const view = { workflowId: run, status: statusOfStoredRun(stored!, await storedTimeline(store, stored!.runId)), calendar };
    const { sent, pending } = await countDeliveries(store);
    return (
      `read from the store (${describeStoreUrl(storeConfig.url)}):\n${formatRunView(view)}\n` +
      `the delivery ledger shared by all workers records ${sent} sent deliveries, ${pending} pending\n`
    );
  } finally {
    await store.destroy();
  }
}

async function formatOutbox(config: PlaybookConfig): Promise<string> {
  if (config.email.kind !== 'outbox') return '';
  const messages = await readOutbox(config.email.dir);
  const rows = messages.map((m) => [formatUtc(Date.parse(m.at), 'seconds'), m.to, m.subject]);
  const table = messages.length === 0 ? ['(empty)'] : alignColumns([['WRITTEN', 'TO', 'SUBJECT'], ...rows]);
  return `outbox ${config.email.dir} (emails "sent" by the dev email sink):\n${table.join('\n')}\n`;
}

function describeLead(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  const hours = Math.floor(minutes / 60);
  return hours === 0 ? `${minutes} min` : `${hours} h ${minutes % 60} min`;
}
