/** What the HTTP API is built from: everything outside the process is passed in. */
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { ReplayMemory } from './signature.js';
import type { TokenLookup } from './tokens/store.js';

export interface ApiDeps {
  client: Client;
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
}
