/**
 * POSTs a JSON body with Node's fetch and a timeout, classifying the outcome for retries:
 * 2xx is success; 5xx, 408, 429, timeouts and connection errors are transient (thrown as
 * plain errors, retried); any other 4xx, redirects, a URL that does not parse and a header
 * HTTP cannot carry are permanent (`PermanentDeliveryError`): no retry can fix them.
 * Messages name the target by `label` and the URL's origin only: webhook URLs often carry
 * secrets in their path.
 */
import type { DeliveryReceipt } from './delivery-ledger.js';
import { PermanentDeliveryError } from './delivery-error.js';

export const HTTP_TIMEOUT_MS = 10_000;

const TRANSIENT_4XX = new Set([408, 425, 429]);

export interface JsonPost {
  url: string;
  /** What the target is, for messages: `Slack hook for x@y.z`, `endpoint "crm-sync"`. */
  label: string;
  body: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** Response headers a receiver may name the message it accepted by, in the order looked for. */
const RESPONSE_ID_HEADERS = ['x-message-id', 'x-request-id', 'request-id', 'x-amzn-requestid', 'x-slack-req-id'];

/** Resolves with the response's id header (the first of `RESPONSE_ID_HEADERS` present, else null) and status. */
export async function postJson(post: JsonPost): Promise<DeliveryReceipt> {
  const target = `${post.label} (${originOf(post)})`;
  const headers = requestHeaders(target, { 'Content-Type': 'application/json', ...post.headers });
  const timeoutMs = post.timeoutMs ?? HTTP_TIMEOUT_MS;
  let response: Response;
  try {
    response = await fetch(post.url, {
      method: 'POST',
      headers,
      body: post.body,
      // A redirected POST may silently become a GET elsewhere; the configured URL must be the final one.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const reason = (e as Error).name === 'TimeoutError' ? `no response within ${timeoutMs} ms` : networkReason(e);
    throw new Error(`POST to ${target} failed: ${reason}`, { cause: e });
  }
  const detail = await responseSnippet(response);
  if (response.ok) {
    const messageId = RESPONSE_ID_HEADERS.map((name) => response.headers.get(name)).find((v): v is string => v !== null && v !== '') ?? null;
    return { messageId, response: `HTTP ${response.status}` };
  }
  const status = `HTTP ${response.status}${detail === '' ? '' : `: ${detail}`}`;
  if (response.status >= 300 && response.status < 400) {
    throw new PermanentDeliveryError(`${target} redirected (${status}); configure the final URL`);
  }
  if (response.status >= 400 && response.status < 500 && !TRANSIENT_4XX.has(response.status)) {
    throw new PermanentDeliveryError(`${target} refused the request: ${status}`);
  }
  throw new Error(`${target} failed: ${status}`);
}

function originOf(post: JsonPost): string {
  try {
    return new URL(post.url).origin;
  } catch {
    throw new PermanentDeliveryError(`${post.label}: the URL does not parse; configure an absolute http(s) URL`);
  }
}

/** The headers as fetch would build them; fetch would throw the same way on every retry. */
function requestHeaders(target: string, values: Record<string, string>): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(values)) {
    try {
      headers.set(name, value);
    } catch {
      const why = /[^\u0000-\u00ff]/.test(value) ? 'its value is not Latin-1 text' : 'its name or value has characters HTTP does not allow';
      throw new PermanentDeliveryError(`${target}: cannot send header ${name}: ${why}`);
    }
  }
  return headers;
}

/** fetch reports network failures as `TypeError: fetch failed` with the socket error as cause. */
function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** The start of the response body, on one line, for error messages; reading it also frees the socket. */
async function responseSnippet(response: Response): Promise<string> {
  try {
    return (await response.text()).replace(/\s+/g, ' ').trim().slice(0, 200);
  } catch {
    return '';
  }
}
