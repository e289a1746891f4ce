/**
 * Who a customer-facing email comes from and where replies go, decided once for every sink:
 *
 * 1. the step's `from`: `from "Name <address>"` as written; `from account.csm` the team
 *    member's address with the display name `outreach.people` gives it;
 * 2. else the playbook's sender (`outreach.playbookSenders.<id>`), else the workspace's
 *    (`outreach.sender`), each with its own display name and Reply-To;
 * 3. else `smtp.from` (or the outbox's), without a display name.
 *
 * A person named by the step gets the replies (Reply-To their address), together with the
 * workspace sender's Reply-To when one is configured (usually the inbound route, so a reply
 * also reaches the runs as `email.replied`). The envelope sender (`MAIL FROM`, where bounces
 * go) is always `smtp.from`.
 */
import type { OutreachConfig } from '../config/types.js';
import type { EmailSender as StepSender } from '../runtime/effects.js';

export interface ResolvedSender {
  name: string | null;
  address: string;
  /** Reply-To addresses; empty: replies go to `address`. */
  replyTo: string[];
}

export function resolveSender(
  step: StepSender | undefined,
  playbook: string,
  outreach: Pick<OutreachConfig, 'sender' | 'playbookSenders' | 'people'>,
  envelopeFrom: string,
): ResolvedSender {
  if (step !== undefined) {
    const name = step.name ?? outreach.people[step.address.toLowerCase()] ?? null;
    const shared = outreach.sender?.replyTo;
    const replyTo = shared && shared.toLowerCase() !== step.address.toLowerCase() ? [step.address, shared] : [];
    return { name, address: step.address, replyTo };
  }
  const configured = outreach.playbookSenders[playbook] ?? outreach.sender;
  if (configured) return { name: configured.name, address: configured.address, replyTo: configured.replyTo ? [configured.replyTo] : [] };
  return { name: null, address: envelopeFrom, replyTo: [] };
}

/** `"Jordan Lee" <jordan@acme.example>` (quoted when the name needs it), or the bare address. */
export function formatMailbox(sender: Pick<ResolvedSender, 'name' | 'address'>): string {
  if (sender.name === null) return sender.address;
  const quoted = /^[\w !#$%&'*+\-/=?^`{|}~]*$/.test(sender.name) ? sender.name : `"${sender.name.replace(/["\\]/g, '\\$&')}"`;
  return `${quoted} <${sender.address}>`;
}
