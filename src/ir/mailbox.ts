/**
 * One mailbox as written in a playbook's `from "…"` (RFC 5322 `name-addr` or `addr-spec`,
 * in short): `Acme Success <success@acme.com>` or `success@acme.com`. Pure, so the checker,
 * the lowering and the email sink read it alike.
 */

const ADDRESS = /^[^\s@<>",]+@[^\s@<>",]+\.[^\s@<>",]+$/;
const NAME_ADDR = /^(.*?)\s*<([^<>]*)>$/;

export interface Mailbox {
  /** The display name, or null when only an address is given. */
  name: string | null;
  address: string;
}

/** The mailbox `text` names, or null when it is neither `Name <address>` nor an address. */
export function parseMailbox(text: string): Mailbox | null {
  const trimmed = text.trim();
  const named = NAME_ADDR.exec(trimmed);
  if (named) {
    const name = named[1]!.replace(/^"(.*)"$/, '$1').trim();
    const address = named[2]!.trim();
    if (!ADDRESS.test(address) || /[<>]/.test(name)) return null;
    return { name: name === '' ? null : name, address };
  }
  return ADDRESS.test(trimmed) ? { name: null, address: trimmed } : null;
}
