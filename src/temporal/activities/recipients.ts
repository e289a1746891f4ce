/**
 * Recipient resolution on the Node side. The interpreter hands over either an address or
 * `role:<name>` (a role it could not resolve itself); roles map to addresses in the
 * configuration. Anything else that is not an email address cannot be delivered.
 */
import { isEmailAddress } from '../../config/schema.js';
import { PermanentDeliveryError } from '../../sinks/delivery-error.js';

const ROLE_PREFIX = 'role:';

export function resolveRecipient(to: string, roles: Record<string, string>): string {
  if (to.startsWith(ROLE_PREFIX)) {
    const name = to.slice(ROLE_PREFIX.length);
    const address = roles[name];
    if (address === undefined) {
      const known = Object.keys(roles);
      const list = known.length === 0 ? 'no roles are configured' : `configured roles: ${known.join(', ')}`;
      throw new PermanentDeliveryError(`unknown role "${name}" (${list})`);
    }
    return address;
  }
  if (!isEmailAddress(to)) throw new PermanentDeliveryError(`invalid email address "${to}"`);
  return to;
}
