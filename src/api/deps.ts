/** What the HTTP API is built from: everything outside the process is passed in. */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Store } from '../store/connect.js';
import type { RateLimit } from './rate-limit.js';
import type { ReplayMemory } from './signature.js';
import type { TokenLookup } from './tokens/store.js';

/** How a hard bounce is told: the account field naming the team member (`outreach.bounceNotify`), and the notifier (Slack or email, as `notify` steps). */
export interface BounceNotices {
  field: string;
  notify(to: string, text: string): Promise<void>;
}

export interface ApiDeps {
  client: Client;
  /** The system of record: lists, the inbox, task details and ended runs are read from it; null: none configured (live reads only). */
  store?: Store | null;
  taskQueue: string;
  tokens: TokenLookup;
  /** Integration name → the secret its writes are signed with. */
  integrations: Record<string, string>;
  logger: Logger;
  /** Epoch milliseconds; checks signature timestamps. */
  clock: () => number;
  /** Where accepted signatures are remembered; default this process's memory. */
  replays?: ReplayMemory;
  /** Larger bodies are refused with 413; default 1 MiB. */
  maxBodyBytes?: number;
  /** Events with a larger payload (as JSON) are refused with 413; default 64 KiB. */
  maxEventPayloadBytes?: number;
  /** With a store, a payload larger than this (as JSON) is kept out of workflow history; default 8 KiB. */
  inlineEventPayloadBytes?: number;
  /** An upsert that would take an account's data over this many bytes (as JSON) is refused with 413; default 64 KiB. */
  maxAccountDataBytes?: number;
  /** Requests per token (or IP address without one) and window; default 600 a minute. */
  rateLimit?: RateLimit;
  /** Verifies the unsubscribe links of customer-facing email (outreach/unsubscribe-link.ts); absent: every link is refused. */
  unsubscribeKey?: Buffer;
  /** The secret part of the inbound-mail URL (`outreach.inboundSecret`); absent or null: no inbound by HTTP. */
  inboundSecret?: string | null;
  /** Who hears of a hard bounce (outreach/bounces.ts); absent: it is logged only. */
  bounceNotices?: BounceNotices;
  /** How long a client may take to send a whole request; default 30 s. */
  requestTimeoutMs?: number;
}
