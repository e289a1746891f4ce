import { describe, expect, it, vi } from 'vitest';
import { createToken, CstParser, Lexer, LLkLookaheadStrategy } from '../../src/language/chevrotain.js';
import { lazyLookahead } from '../../src/language/lazy-lookahead.js';

const A = createToken({ name: 'A', pattern: 'a' });
const B = createToken({ name: 'B', pattern: 'b' });
const C = createToken({ name: 'C', pattern: 'c' });
const tokens = [A, B, C];
const lexer = new Lexer(tokens);

/** `a b` or `a c` (two tokens of lookahead), optionally followed by `c`. */
class Tiny extends CstParser {
  constructor() {
    super(tokens, { lookaheadStrategy: lazyLookahead(2), maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  top = this.RULE('top', () => {
    this.OR([{ ALT: () => (this.CONSUME(A), this.CONSUME(B)) }, { ALT: () => (this.CONSUME1(A), this.CONSUME(C)) }]);
    this.OPTION(() => this.CONSUME2(C));
  });
}

describe('lazy lookahead', () => {
  it('builds a decision when the parser first reaches it, and decides as LL(k) does', () => {
    const alternation = vi.spyOn(LLkLookaheadStrategy.prototype, 'buildLookaheadForAlternation');
    const optional = vi.spyOn(LLkLookaheadStrategy.prototype, 'buildLookaheadForOptional');
    const parser = new Tiny();
    expect([alternation.mock.calls.length, optional.mock.calls.length]).toEqual([0, 0]);
    const parse = (text: string) => {
      parser.input = lexer.tokenize(text).tokens;
      const cst = parser.top();
      return { children: Object.keys(cst?.children ?? {}).sort(), errors: parser.errors.length };
    };
    expect(parse('ab')).toEqual({ children: ['A', 'B'], errors: 0 });
    expect(parse('acc')).toEqual({ children: ['A', 'C'], errors: 0 });
    expect(parse('aa')).toMatchObject({ errors: 1 });
    // Each decision is built once, however often it is taken.
    expect([alternation.mock.calls.length, optional.mock.calls.length]).toEqual([1, 1]);
    vi.restoreAllMocks();
  });
});
