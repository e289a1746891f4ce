/** Values of the operator commands' flags, checked before anything is sent (bad usage: exit 2). */
import { UserError } from '../errors.js';
import { jsonDepthProblem } from '../util/json-depth.js';

/** Help text of the `--config <file>` option every operator command takes. */
export const CONFIG_HELP = 'configuration file (default: $PLAYBOOK_CONFIG, else ./playbook.config.json, else development defaults)';

/**
 * Any JSON value: whether it fits (an event payload, a task's answers) is for the run to
 * judge, which records what it refuses and says why. JSON nested too deep to send is bad data.
 */
export function parseJsonFlag(flag: string, text: string): unknown {
  const tooDeep = jsonDepthProblem(text);
  if (tooDeep !== null) throw new UserError(`${flag} ${tooDeep}`, 'invalid');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new UserError(`${flag} is not valid JSON: ${(e as Error).message}`, 'usage');
  }
}

export function parsePortFlag(flag: string, text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) throw new UserError(`${flag} must be a port number from 1 to 65535, got "${text}"`, 'usage');
  return port;
}
