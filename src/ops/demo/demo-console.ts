/**
 * What `demo --keep` leaves running besides the stack: `serve` (API and console) on the demo's
 * configuration, and two sign-in tokens for it: CS Ops, and the CSM of the demo's enterprise
 * account (whose book holds it).
 */
import path from 'node:path';
import { pino } from 'pino';
import type { PlaybookConfig } from '../../config/types.js';
import { UserError } from '../../errors.js';
import { startApi, type RunningApi } from '../../api/serve.js';
import { issueToken } from '../../api/tokens/issue.js';
import { FileTokenStore } from '../../api/tokens/store.js';

export interface DemoConsole {
  api: RunningApi;
  csopsToken: string;
  csmToken: string;
}

/** Serves on `api.port` (8080 by default), or on a free port when that one is taken. */
export async function startDemoConsole(config: PlaybookConfig, csm: string, logDir: string): Promise<DemoConsole> {
  const tokens = new FileTokenStore(config.api.tokensFile);
  const now = new Date();
  const csopsToken = (await issueToken(tokens, { name: 'demo-ops', role: 'csops', user: 'cs-ops@example.com' }, [], now)).token;
  const csmToken = (await issueToken(tokens, { name: 'demo-csm', role: 'csm', user: csm }, [], now)).token;
  const logger = pino(pino.destination({ dest: path.join(logDir, 'api.log'), sync: false }));
  let api: RunningApi;
  try {
    api = await startApi(config, logger);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    api = await startApi(config, logger, { port: 0 });
  }
  return { api, csopsToken, csmToken };
}
