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

  it('hint at exactly the characters an unexpected run can start with', () => {
    const exec = (Unexpected.PATTERN as { exec(text: string, offset: number): RegExpExecArray | null }).exec;
    const starts = Array.from({ length: 0x10000 }, (_, code) => code).filter((code) => exec(String.fromCharCode(code), 0) !== null);
    expect(Unexpected.START_CHARS_HINT).toEqual(starts);
  });
});
