/**
 * The activities the playbook workflow proxies, one per action kind, and the task store's
 * and a task's assignee's notices (see `options.ts` for the contract). Each one is idempotent: its key `<workflowId>/<runId>/<action.key>` is looked up
 * in the delivery ledger first and recorded there after a successful delivery, so a retried
 * activity whose first attempt got through does nothing. A delivery that fails for good
 * (permanently, or past its sink's retry window) is told to people by another channel.
 */
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { consoleBaseUrl } from '../../config/console-url.js';
import type { DeliverySink, PlaybookConfig } from '../../config/types.js';
import type { ActionResult, ContactRequest } from '../../runtime/effects.js';
import { PermanentDeliveryError } from '../../sinks/delivery-error.js';
import { FileDeliveryLedger, type DeliveryLedger, type DeliveryReceipt } from '../../sinks/delivery-ledger.js';
import { messageIdFor, type EmailSender } from '../../sinks/email.js';
import { FileContactLedger, sendAsDecided, type ContactLedger } from '../../outreach/contact-ledger.js';
import { emailHtml, emailText } from '../../outreach/email-html.js';
import { resolveSender } from '../../outreach/sender.js';
import { runAddressOf, runPathOf, type RunAddress } from '../../api/run-path.js';
import { createOutboxSender } from '../../sinks/outbox.js';
import { createRecordSink } from '../../sinks/record-sink.js';
import { postSignedWebhook } from '../../sinks/signed-webhook.js';
import { createSmtpSender } from '../../sinks/smtp-sender.js';
import type { DeliveryHeartbeat } from '../retrying-deliveries.js';
import { createDeliveryAlerts, type FailedDelivery } from './delivery-alerts.js';
import { createNotifier, routeFor } from './notifier.js';
import { HEARTBEAT_INTERVAL_MS, PERMANENT_FAILURE_TYPE, type ActionOf, type PlaybookActivities, type RunRef } from './options.js';
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
  /** Where a delivery that failed for good is logged; default the activity's logger at error level. */
  log?: (message: string) => void;
  /** Where contact-policy decisions are reserved; default: a file under `dataDir` (this host's runs only). */
  contacts?: ContactLedger;
  /** Opt-outs and unsubscribe links for customer-facing email (with a store); absent: neither. */
  outreach?: CustomerEmailPolicy;
}

/** What customer-facing email (`email` steps, not notifications) must respect. */
export interface CustomerEmailPolicy {
  /** Why `address` must not get customer-facing email (`unsubscribed`…), else null. */
  suppressed(address: string): Promise<string | null>;
  /** The one-click unsubscribe link for `address`, in an email about `accountId`. */
  unsubscribeUrl(address: string, accountId: string): string;
  /** Keeps an email about to go out, so that a reply to it finds its run (`outreach/replies.ts`). */
  sending(email: SentEmail): Promise<void>;
}

export interface SentEmail {
  messageId: string;
  key: string;
  workflowId: string;
  accountId: string;
  playbook: string;
  template: string;
  recipient: string;
  subject: string;
}

/** Where an action is delivered: its retry window, its name in alerts, and the channel alerts avoid. */
interface Sink {
  name: DeliverySink;
  what: string;
  channel: FailedDelivery['channel'];
  context: string;
}

export function createActivities(config: PlaybookConfig, deps: ActivityDeps = {}): PlaybookActivities {
  const now = deps.now ?? Date.now;
  const ledger = deps.ledger ?? new FileDeliveryLedger(path.join(config.dataDir, LEDGER_FILE), now);
  const email = emailSenderOf(config, now);
  const notify = createNotifier(config.notify, email, config.email.from);
  const tasks = createRecordSink<TaskRecord>(config.tasks, config.endpoints, now);
  const accounts = createRecordSink<AccountRecord>(config.accounts, config.endpoints, now);
  const to = (recipient: string) => resolveRecipient(recipient, config.roles);
  const alert = createDeliveryAlerts(config.notify, email, config.email.from, deps.log ?? logError);
  /** The sink of a notice to `recipient`: its channel is its route's (an unresolvable recipient fails before sending). */
  const noticeSink = (recipient: string, what: string, context: string): Sink => ({
    name: 'notify',
    what,
    channel: attempt(() => routeFor(config.notify, to(recipient)).kind),
    context,
  });

  /**
   * Delivers once per key, heartbeating meanwhile. A permanent failure, or a transient one once
   * the sink's retry window has passed, is told to the owner and CS Ops (delivery-alerts.ts)
   * and becomes a non-retryable activity failure; any other failure is retried by Temporal.
   */
  async function once(
    run: RunRef & { owner?: string | null },
    actionKey: string,
    sink: Sink,
    deliver: (key: string) => Promise<DeliveryReceipt | void>,
    since?: number,
  ): Promise<ActionResult> {
    const key = `${run.workflowId}/${run.runId}/${actionKey}`;
    const stopHeartbeats = heartbeatWhile();
    try {
      await ledger.once(key, () => deliver(key), { channel: sink.name });
      return { ok: true };
    } catch (e) {
      const final = e instanceof PermanentDeliveryError ? e.message : retryWindowPassed(config.delivery.retryWindowMs[sink.name], since, now);
      if (final === null) throw e;
      const error = e instanceof PermanentDeliveryError ? final : `${(e as Error).message} (${final})`;
      const recipients = [run.owner, config.delivery.alertTo].filter((to): to is string => typeof to === 'string' && to !== '');
      const told = await alert({ key, what: sink.what, error, channel: sink.channel, context: sink.context, recipients });
      throw ApplicationFailure.nonRetryable(told === '' ? error : `${error}; ${told}`, PERMANENT_FAILURE_TYPE);
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

  const recordSink = (run: RunRef, playbook: string, what: string): Sink => ({ name: 'records', what, channel: null, context: context(run, playbook) });

  const contacts = deps.contacts ?? new FileContactLedger(config.dataDir);

  /** The contact policy's decision for the action keyed `key` of `run`, made and reserved once. */
  const reserve = (run: RunRef, playbook: string, key: string, request: ContactRequest) =>
    contacts.reserve({ key: `${run.workflowId}/${run.runId}/${key}`, accountId: run.accountId, workflowId: run.workflowId, playbook, request });

  /** Sends an email the contact policy (if any) let go now: once per key, the outreach headers and records with it. */
  function deliverEmail(run: RunRef & { owner?: string | null }, action: ActionOf<'email'>): Promise<ActionResult> {
    const { outreach } = deps;
    return once(
      run,
      action.key,
      { name: 'email', what: `email "${action.subject}" to ${action.to}`, channel: 'email', context: context(run, action.playbook) },
      async (key) => {
        const recipient = to(action.to);
        const link = outreach?.unsubscribeUrl(recipient, run.accountId) ?? null;
        const { workflowId, accountId } = run;
        const { playbook, template, subject } = action;
        await outreach?.sending({ messageId: messageIdFor(key, config.email.from), key, workflowId, accountId, playbook, template, recipient, subject });
        const sender = resolveSender(action.from, playbook, config.outreach, config.email.from);
        // A suppressed copy is left out; the message still goes to its `to`.
        const copies = async (list: string[] | undefined) => {
          const kept: string[] = [];
          for (const a of list ?? []) {
            const address = attempt(() => to(a));
            if (address !== null && (outreach === undefined || (await outreach.suppressed(address)) === null)) kept.push(address);
          }
          return kept;
        };
        return email.send({
          key,
          from: config.email.from,
          sender: { name: sender.name, address: sender.address },
          ...(sender.replyTo.length > 0 && { replyTo: sender.replyTo }),
          to: recipient,
          cc: await copies(action.cc),
          bcc: await copies(action.bcc),
          subject: action.subject,
          text: emailText(action.body, link),
          html: emailHtml(action.body, link),
          ...(link !== null && { unsubscribeUrl: link }),
        });
      },
    );
  }

  return {
    async decideContact({ action, ...run }) {
      const { key, playbook, kind: _kind, ...request } = action;
      const resolved = attempt(() => to(action.to));
      // A suppressed recipient is skipped before any decision: nothing is reserved for it.
      const suppressed = deps.outreach === undefined || resolved === null ? null : await deps.outreach.suppressed(resolved);
      if (suppressed !== null) return { ok: true, suppressed };
      return { ok: true, contact: await reserve(run, playbook, key, { ...request, to: resolved ?? action.to }) };
    },
    async sendEmail({ action, ...run }) {
      const { outreach } = deps;
      // A recipient that cannot be resolved fails in `once`, which tells people.
      const address = attempt(() => to(action.to));
      // Before any contact-policy decision too: nothing is reserved for a suppressed recipient.
      const suppressed = outreach === undefined || address === null ? null : await outreach.suppressed(address);
      if (suppressed !== null) return { ok: true, suppressed };
      return sendAsDecided(
        action,
        (key, request) => reserve(run, action.playbook, key, { ...request, to: address ?? action.to }),
        (action) => deliverEmail(run, action),
      );
    },

    sendNotification: ({ action, ...run }) =>
      once(run, action.key, noticeSink(action.to, `notification to ${action.to}`, context(run, action.playbook)), (key) =>
        notify({ key, to: to(action.to), text: action.text, context: context(run, action.playbook) }),
      ),

    recordEscalation: ({ action, ...run }) =>
      once(run, action.key, noticeSink(action.to, `escalation to ${action.to}`, context(run, action.playbook)), (key) =>
        notify({ key, to: to(action.to), text: `Escalation (${action.severity}): ${action.text}`, context: context(run, action.playbook) }),
      ),

    createTask: ({ action, ...run }) =>
      once(run, action.key, recordSink(run, action.playbook, `task record ${action.task}`), (key) =>
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
      once(run, `close:${task}:${closeKey}`, recordSink(run, playbook, `task record ${task} (closed)`), (key) =>
        tasks.write({ type: 'task.closed', ...recordBase(run, key, playbook), task, answers }),
      ),

    noticeTask: ({ runPlaybook, playbook, task, title, assignee, due, key: noticeKey, reassigned, since, ...run }) =>
      once(
        run,
        `notice:${noticeKey}`,
        noticeSink(assignee, `task notice to ${assignee}`, context(run, playbook)),
        (key) => {
          const link = taskLink(consoleBaseUrl(config), runAddressOf({ playbook: runPlaybook, accountId: run.accountId, workflowId: run.workflowId }), task);
          const what = reassigned ? 'A task was reassigned to you' : 'A new task for you';
          const text = `${what}: ${title}${due === null ? '' : ` (due ${due})`}\n${link}`;
          return notify({ key, to: to(assignee), text, context: context(run, playbook) });
        },
        since,
      ),

    setAccountField: ({ action, ...run }) =>
      once(run, action.key, recordSink(run, action.playbook, `account record ${action.field}`), (key) =>
        accounts.write({ type: 'account.set', ...recordBase(run, key, action.playbook), field: action.field, value: action.value }),
      ),

    callWebhook: ({ action, ...run }) =>
      once(run, action.key, { name: 'webhook', what: `webhook ${action.endpoint}`, channel: null, context: context(run, action.playbook) }, async (key) => {
        const endpoint = config.endpoints[action.endpoint];
        if (endpoint === undefined) {
          const known = Object.keys(config.endpoints);
          const list = known.length === 0 ? 'no endpoints are configured' : `configured endpoints: ${known.join(', ')}`;
          throw new PermanentDeliveryError(`unknown webhook endpoint "${action.endpoint}" (${list})`);
        }
        const payload: WebhookBody = { type: 'playbook.webhook', ...recordBase(run, key, action.playbook), endpoint: action.endpoint, fields: action.fields };
        return postSignedWebhook({ endpoint, name: action.endpoint, payload, idempotencyKey: key, now: now() });
      }),
  };
}

/** The configured email sender: SMTP, or the development outbox. */
export function emailSenderOf(config: Pick<PlaybookConfig, 'email'>, now: () => number = Date.now): EmailSender {
  return config.email.kind === 'smtp' ? createSmtpSender(config.email) : createOutboxSender(config.email.dir, now);
}

/** Where the console shows a task: `<baseUrl>/tasks/<playbook>/<accountId>/<task>` (the run's playbook), with a keyed run's `?key=…`. */
export function taskLink(baseUrl: string, run: RunAddress, task: string): string {
  return runPathOf(`${baseUrl}/tasks`, run, [task]);
}

/**
 * Words for a retry window that has passed, else null: from the first attempt's scheduling to
 * this attempt's, both the server's times (so a worker's clock does not matter). Outside an
 * activity (the task-notice dispatcher, tests calling the activities directly) it passes
 * `windowMs` after `since`, when given, else never.
 */
function retryWindowPassed(windowMs: number, since: number | undefined, now: () => number): string | null {
  let elapsed: number | null;
  try {
    const { info } = Context.current();
    elapsed = info.currentAttemptScheduledTimestampMs - info.scheduledTimestampMs;
  } catch {
    elapsed = since === undefined ? null : now() - since;
  }
  return elapsed !== null && elapsed >= windowMs ? `still failing after ${formatWindow(windowMs)} of retries, the retry window of this sink` : null;
}

function formatWindow(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000}d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  return `${Math.round(ms / 60_000)}m`;
}

/** `fn()`, or null when it throws. */
function attempt<T>(fn: () => T): T | null {
  try {
    return fn();
  } catch {
    return null;
  }
}

function logError(message: string): void {
  try {
    Context.current().log.error(message);
  } catch {
    console.error(message);
  }
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
  // `since` lets status say how long a retried delivery has been failing (retrying-deliveries.ts).
  const details: DeliveryHeartbeat = { since: context.info.scheduledTimestampMs };
  context.heartbeat(details);
  const timer = setInterval(() => context.heartbeat(details), HEARTBEAT_INTERVAL_MS);
  return () => clearInterval(timer);
}
