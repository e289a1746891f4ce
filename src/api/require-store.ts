/** Routes whose data lives only in the store: without one configured, a 400 saying how to get one. */
import { UserError } from '../errors.js';
import type { Store } from '../store/connect.js';

export function requireStore(store: Store | null | undefined, what = 'this is read from the store'): Store {
  if (!store) throw new UserError(`${what}, and none is configured: set \`store.url\` (or run \`playbook dev\`, which hosts one)`, 'invalid');
  return store;
}
