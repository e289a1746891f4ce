/** UTF-8 length of text, counted without an encoder so the workflow bundle can use it. Pure. */

/** Bytes of `s` as UTF-8 (a lone surrogate counts as the 3 bytes of its replacement). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}
