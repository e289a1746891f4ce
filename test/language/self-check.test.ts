/**
 * The shared parser and lexer skip chevrotain's validations of the grammar and the token
 * definitions (start-up cost); these instances run them, so a mistake there still fails.
 * chevrotain throws from the constructor when a validation finds a problem.
 */
import { describe, expect, it } from 'vitest';
import { createLexer } from '../../src/language/lexer.js';
import { PlaybookParser } from '../../src/language/parser.js';
import { Unexpected } from '../../src/language/tokens.js';

describe('grammar and token definitions', () => {
  it('pass chevrotain’s grammar validations', () => {
    expect(() => new PlaybookParser({ validate: true })).not.toThrow();
  });

  it('pass chevrotain’s lexer validations, with first-character optimisations on', () => {
    expect(createLexer({ validate: true }).lexerDefinitionErrors).toEqual([]);
  });

  it('hint at the ASCII characters an unexpected run can start with, and lex every other code unit as one', () => {
    const exec = (Unexpected.PATTERN as { exec(text: string, offset: number): RegExpExecArray | null }).exec;
    const ascii = Array.from({ length: 0x80 }, (_, code) => code).filter((code) => exec(String.fromCharCode(code), 0) !== null);
    expect((Unexpected.START_CHARS_HINT as number[]).filter((code) => code < 0x80)).toEqual(ascii);
    // Each code unit on its own, so each is a token's first character.
    const others = Array.from({ length: 0x10000 - 0x80 }, (_, i) => String.fromCharCode(0x80 + i));
    const result = createLexer({ validate: false }).tokenize(others.join(' '));
    expect(result.errors).toEqual([]);
    expect(result.tokens.filter((t) => t.tokenType === Unexpected)).toHaveLength(others.length);
  });
});
