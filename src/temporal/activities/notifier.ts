/**
 * Internal notifications (notify, escalate): to the recipient's Slack-style hook when one is
 * configured for their address (or as the default), else by email (SMTP or outbox).
 */
import type { NotifyConfig, NotifyRoute } from '../../config/types.js';
import type { DeliveryReceipt } from '../../sinks/delivery-ledger.js';
import type { EmailSender } from '../../sinks/email.js';
import { postSlackMessage, slackText } from '../../sinks/slack.js';

export interface Notice {
  key: string;
  /** A resolved email address. */
  to: string;
  /** The message itself. */
  text: string;
  /** Where it comes from (playbook, account), shown under the message. */
  context: string;
}

export type Notifier = (notice: Notice) => Promise<DeliveryReceipt>;

const SUBJECT_LENGTH = 100;

export function createNotifier(notify: NotifyConfig, email: EmailSender, from: string): Notifier {
  return (notice) => sendNotice(routeFor(notify, notice.to), notice, email, from);
}

/** The route of notices to `to`: its own Slack hook, else the default. */
export function routeFor(notify: NotifyConfig, to: string): NotifyRoute {
  return notify.recipients[to] ?? notify.default;
}

/** Sends `notice` by `route`. */
export async function sendNotice(route: NotifyRoute, notice: Notice, email: EmailSender, from: string): Promise<DeliveryReceipt> {
  if (route.kind === 'slack') {
    // A hook may be shared (the default), so the message says whom it is for. The italics are ours.
    const text = `${slackText(notice.text)}\n_${slackText(notice.context)}, for ${slackText(notice.to)}_`;
    return postSlackMessage(route.url, text, `Slack hook for ${notice.to}`);
  }
  return email.send({ key: notice.key, from, to: notice.to, subject: subjectOf(notice.text), text: `${notice.text}\n\n-- \n${notice.context}\n` });
}

function subjectOf(text: string): string {
  const line = text.split('\n')[0]!.trim();
  return line.length <= SUBJECT_LENGTH ? line : `${line.slice(0, SUBJECT_LENGTH - 1)}…`;
}
