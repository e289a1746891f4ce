import { describe, expect, it } from 'vitest';
import { createToken, CstParser, Lexer, LLkLookaheadStrategy, type ILookaheadStrategy } from '../../src/language/chevrotain.js';
import { computeLookaheadPaths, pathLookahead, type LookaheadPaths } from '../../src/language/lookahead.js';

const A = createToken({ name: 'A', pattern: 'a' });
const B = createToken({ name: 'B', pattern: 'b' });
const C = createToken({ name: 'C', pattern: 'c' });
const tokens = [A, B, C];
const lexer = new Lexer(tokens, { positionTracking: 'onlyOffset' });

/** `a b` or `a c` (two tokens of lookahead), optionally followed by `c`, then any number of `b`. */
class Tiny extends CstParser {
  constructor(lookaheadStrategy: ILookaheadStrategy) {
    super(tokens, { lookaheadStrategy, maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  top = this.RULE('top', () => {
    this.OR([{ ALT: () => (this.CONSUME(A), this.CONSUME(B)) }, { ALT: () => (this.CONSUME1(A), this.CONSUME(C)) }]);
    this.OPTION(() => this.CONSUME2(C));
    this.MANY(() => this.CONSUME2(B));
  });
}

function parse(parser: Tiny, text: string) {
  parser.input = lexer.tokenize(text).tokens;
  const cst = parser.top();
  const children = Object.entries(cst?.children ?? {}).map(([key, elements]) => `${key}×${elements.length}`);
  return { children: children.sort(), errors: parser.errors.length };
}

describe('lookahead from precomputed paths', () => {
  const table = computeLookaheadPaths(Object.values(new Tiny(new LLkLookaheadStrategy({ maxLookahead: 2 })).getGAstProductions()), 2);

  it('has the token paths of every decision', () => {
    expect(table).toEqual({
      'top Alternation 0': [[['A', 'B']], [['A', 'C']]],
      'top Option 0': [[['C']]],
      'top Repetition 0': [[['B']]],
    });
  });

  it('decides as chevrotain’s LL(k) lookahead does', () => {
    const ours = new Tiny(pathLookahead(table, tokens, 2));
    const theirs = new Tiny(new LLkLookaheadStrategy({ maxLookahead: 2 }));
    for (const text of ['ab', 'acc', 'acbb', 'abcb', 'aa', 'c', '']) expect(parse(ours, text), text).toEqual(parse(theirs, text));
    expect(parse(ours, 'acbb')).toEqual({ children: ['A×1', 'B×2', 'C×1'], errors: 0 });
  });

  it('names the fix when a decision has no paths', () => {
    const stale: LookaheadPaths = { 'top Alternation 0': table['top Alternation 0'] ?? [] };
    const parser = new Tiny(pathLookahead(stale, tokens, 2));
    expect(() => parse(parser, 'acc')).toThrow('no lookahead paths for top Option 0: run npm run grammar');
  });
});
