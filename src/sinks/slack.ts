/** Posts a message to a Slack-style incoming webhook: a JSON body `{ "text": "…" }`. */
import { postJson } from './http-post.js';

export function postSlackMessage(url: string, text: string, label: string): Promise<void> {
  return postJson({ url, label, body: JSON.stringify({ text }) });
}
