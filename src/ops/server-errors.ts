import { UserError } from '../errors.js';
import { BinaryNotFoundError } from '../servers/binaries.js';
import { ServerStartError } from '../servers/readiness.js';
import { CommandError } from '../servers/run-command.js';

/**
 * Runs `start` (starting or stopping a server), turning what the user fixes into a UserError
 * whose message says how: a missing binary, a port in use, a server that did not start, a
 * helper command (pg_ctl, temporal-sql-tool) that failed.
 */
export async function withServerErrors<T>(start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (e) {
    if (e instanceof BinaryNotFoundError || e instanceof ServerStartError || e instanceof CommandError) throw new UserError(e.message, 'invalid');
    throw e;
  }
}
