/**
 * Pure. How deep outside JSON may nest. `JSON.parse` copes with any depth, but what follows it
 * does not: `JSON.stringify` (and with it Temporal's payload converter) overflows the stack
 * at a few thousand levels. Every reader of outside JSON (API bodies, CLI flags, account
 * files) checks the text first and refuses it as bad input.
 */

/** Arrays and objects inside each other; no account, event or answer needs more than a few. */
export const MAX_JSON_DEPTH = 64;

/** `"nests deeper than 64 levels of arrays and objects"` when `text` does, else null. */
export function jsonDepthProblem(text: string, max = MAX_JSON_DEPTH): string | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return `nests deeper than ${max} levels of arrays and objects`;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return null;
}
