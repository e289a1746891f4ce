import { UserError } from '../errors.js';

/** A bad configuration is bad usage (exit 2); the message starts with `config:` and the key path. */
export function configError(path: readonly PropertyKey[], problem: string): UserError {
  const where = formatKeyPath(path);
  return new UserError(where === '' ? `config: ${problem}` : `config: ${where}: ${problem}`, 'usage');
}

/** `smtp.port`, `notify.slack["csm@example.com"]`: dotted where the key reads as a name. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_][\w-]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}
