import { describe, expect, it } from 'vitest';
import { forTerminal } from '../../src/util/terminal-text.js';

describe('forTerminal', () => {
  it('shows escape sequences, CR/LF, tabs and C1 controls as visible escapes', () => {
    expect(forTerminal('Acme\x1b]8;;http://evil\x07click\x1b]8;;\x07')).toBe('Acme\\u001b]8;;http://evil\\u0007click\\u001b]8;;\\u0007');
    expect(forTerminal('a\r\nb\tc\x7f\u009b31m')).toBe('a\\r\\nb\\tc\\u007f\\u009b31m');
  });

  it('shows bidirectional overrides and line separators, and keeps other text as it is', () => {
    expect(forTerminal('x\u202egnp.exe\u2028y')).toBe('x\\u202egnp.exe\\u2028y');
    expect(forTerminal('Café Zürich — 東京 \\ "q"')).toBe('Café Zürich — 東京 \\ "q"');
  });
});
