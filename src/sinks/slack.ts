/**
 * Posts a message to a Slack-style incoming webhook: a JSON body `{ "text": "…" }`. Text is
 * mrkdwn, in which `<…>` is a control sequence (`<!channel>`, `<@U…>`, `<http://x|label>`);
 * text from accounts and playbooks goes through `slackText` so that it is shown, not obeyed.
 */
import type { DeliveryReceipt } from './delivery-ledger.js';
import { postJson } from './http-post.js';

export function postSlackMessage(url: string, text: string, label: string): Promise<DeliveryReceipt> {
  return postJson({ url, label, body: JSON.stringify({ text }) });
}

/** Slack's escaping for message text: `&`, `<` and `>` as HTML entities, nothing else (api.slack.com/reference/surfaces/formatting#escaping). */
export function slackText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
