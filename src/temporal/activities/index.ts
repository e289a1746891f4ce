/**
 * The activities the playbook workflow proxies, one per action kind (see `options.ts` for the
 * contract). Each one is idempotent: its key `<workflowId>/<runId>/<action.key>` is looked up
 * in the delivery ledger first and recorded there after a successful delivery, so a retried
 * activity whose first attempt got through does nothing.
 */
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { PlaybookConfig } from '../../config/types.js';
import type { ActionResult } from '../../runtime/effects.js';
import { PermanentDeliveryError } from '../../sinks/delivery-error.js';
import { FileDeliveryLedger, type DeliveryLedger } from '../../sinks/delivery-ledger.js';
import type { EmailSender } from '../../sinks/email.js';
import { createOutboxSender } from '../../sinks/outbox.js';
import { createRecordSink } from '../../sinks/record-sink.js';
import { postSignedWebhook } from '../../sinks/signed-webhook.js';
import { createSmtpSender } from '../../sinks/smtp-sender.js';
import { createNotifier } from './notifier.js';
import { HEARTBEAT_INTERVAL_MS, PERMANENT_FAILURE_TYPE, type PlaybookActivities, type RunRef } from './options.js';
import { resolveRecipient } from './recipients.js';
import type { AccountRecord, TaskRecord, WebhookBody } from './records.js';

// The worker imports everything from here; the workflow imports `./options.js` only.
export * from './options.js';
export type * from './records.js';

/** The ledger file under `dataDir`, used when no shared ledger is given. */
const LEDGER_FILE = 'delivered.jsonl';

export interface ActivityDeps {
  /** Wall clock for record timestamps and webhook signatures. */
  now?: () => number;
  /** The store's ledger, shared by every worker; default: a file under `dataDir` (this host only). */
  ledger?: DeliveryLedger;
}

export function createActivities(config: PlaybookConfig, deps: ActivityDeps = {}): PlaybookActivities {
  const now = deps.now ?? Date.now;
  const ledger = deps.ledger ?? new FileDeliveryLedger(path.join(config.dataDir, LEDGER_FILE), now);
  const email: EmailSender = (config.email.kind === 'smtp' ? createSmtpSender(config.email) : createOutboxSender(config.email.dir, now));
  const notify = createNotifier(config.notify, email, config.email.from);
  const tasks = createRecordSink<TaskRecord>(config.tasks, config.endpoints, now);
  const accounts = createRecordSink<AccountRecord>(config.accounts, config.endpoints, now);
  const to = (recipient: string) => resolveRecipient(recipient, config.roles);

  /** Delivers once per key, heartbeating meanwhile; permanent failures become non-retryable activity failures. */
  async function once(run: RunRef, actionKey: string, deliver: (key: string) => Promise<void>): Promise<ActionResult> {
    const key = `${run.workflowId}/${run.runId}/${actionKey}`;
    const stopHeartbeats = heartbeatWhile();
    try {
      await ledger.once(key, () => deliver(key));
      return { ok: true };
    } catch (e) {
      if (e instanceof PermanentDeliveryError) throw ApplicationFailure.nonRetryable(e.message, PERMANENT_FAILURE_TYPE);
      throw e;
    } finally {
      stopHeartbeats();
    }
  }

  /** The fields every record carries. */
  const recordBase = (run: RunRef, key: string, playbook: string) => ({
    key,
    at: new Date(now()).toISOString(),
    run: run.workflowId,
    account: run.accountId,
    playbook,
  });

  const context = (run: RunRef, playbook: string) => `playbook ${playbook}, account ${run.accountId}`;

  return {
    sendEmail: ({ action, ...run }) =>
      once(run, action.key, (key) =>
        email.send({ key, from: config.email.from, to: to(action.to), subject: action.subject, text: action.body }),
      ),

    sendNotification: ({ action, ...run }) =>
      once(run, action.key, (key) => notify({ key, to: to(action.to), text: action.text, context: context(run, action.playbook) })),

    recordEscalation: ({ action, ...run }) =>
      once(run, action.key, (key) =>
        notify({ key, to: to(action.to), text: `Escalation (${action.severity}): ${action.text}`, context: context(run, action.playbook) }),
      ),

    createTask: ({ action, ...run }) =>
      once(run, action.key, (key) =>
        tasks.write({
          type: 'task.created',
          ...recordBase(run, key, action.playbook),
          task: action.task,
          title: action.title,
          assignee: to(action.assignee),
          due: action.due === null ? null : new Date(action.due).toISOString(),
          asks: action.asks,
        }),
      ),

    closeTask: ({ playbook, task, answers, key: closeKey, ...run }) =>
      once(run, `close:${task}:${closeKey}`, (key) => tasks.write({ type: 'task.closed', ...recordBase(run, key, playbook), task, answers })),

    setAccountField: ({ action, ...run }) =>
      once(run, action.key, (key) =>
        accounts.write({ type: 'account.set', ...recordBase(run, key, action.playbook), field: action.field, value: action.value }),
      ),

    callWebhook: ({ action, ...run }) =>
      once(run, action.key, async (key) => {
        const endpoint = config.endpoints[action.endpoint];
        if (endpoint === undefined) {
          const known = Object.keys(config.endpoints);
          const list = known.length === 0 ? 'no endpoints are configured' : `configured endpoints: ${known.join(', ')}`;
          throw new PermanentDeliveryError(`unknown webhook endpoint "${action.endpoint}" (${list})`);
        }
        const payload: WebhookBody = { type: 'playbook.webhook', ...recordBase(run, key, action.playbook), endpoint: action.endpoint, fields: action.fields };
        await postSignedWebhook({ endpoint, name: action.endpoint, payload, idempotencyKey: key, now: now() });
      }),
  };
}

/**
 * Heartbeats every `HEARTBEAT_INTERVAL_MS` until the returned function is called, so that
 * Temporal retries the attempt soon after its worker died. Outside an activity (tests call
 * the activities directly) there is nothing to tell.
 */
function heartbeatWhile(): () => void {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return () => {};
  }
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), HEARTBEAT_INTERVAL_MS);
  return () => clearInterval(timer);
}
