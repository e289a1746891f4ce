/** Values of the operator commands' flags, checked before anything is sent (bad usage: exit 2). */
import { userInfo } from 'node:os';
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

/** The port of a loopback address (`127.0.0.1:7300`), else undefined: where a local server should listen. */
export function loopbackPort(address: string): number | undefined {
  const match = /^(?:127\.0\.0\.1|localhost):(\d+)$/.exec(address);
  return match ? Number(match[1]) : undefined;
}

/** Help text of the `--as <name>` option of the commands whose input the timeline attributes. */
/** A repeatable option's values, in the order given. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** `--key`: with `--playbook`, which run of a playbook with a run key (the API's `?key=`). */
export const KEY_HELP = 'with --playbook: a value of the run key of a keyed playbook (`one run per account and …`), repeatable, in key order';

export const AS_HELP = 'who the timeline names as sending it (default: your OS user name)';

/**
 * The caller a CLI input goes with: role `cli` (which the run never restricts, as it does a
 * csm token) and the name the timeline records, `--as` or the OS user.
 */
export function cliCaller(as: string | undefined): { role: 'cli'; user: string } {
  if (as !== undefined && as.trim() === '') throw new UserError('--as needs a name, e.g. --as ann@example.com', 'usage');
  let user = as?.trim();
  if (user === undefined) {
    try {
      user = userInfo().username;
    } catch {
      // No user database entry (some containers): the role is all there is to name.
      user = 'cli';
    }
  }
  return { role: 'cli', user };
}
