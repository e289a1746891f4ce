/**
 * chevrotain's LL(k) lookahead, built per decision when the parser first reaches it rather
 * than for every decision of the grammar in the self-analysis. Building a decision's function
 * walks the grammar for its alternatives' token paths; a process parses a few files, which
 * reach only part of the grammar's decisions, so the rest are never built.
 */
import { LLkLookaheadStrategy, type ILookaheadStrategy } from './chevrotain.js';

type Strategy = ILookaheadStrategy;
type Alternation = ReturnType<Strategy['buildLookaheadForAlternation']>;
type Optional = ReturnType<Strategy['buildLookaheadForOptional']>;

/**
 * `gateDecided`: rules whose one alternation is decided by its gates alone — the first
 * alternative whose GATE holds, or that has none — so it costs no token lookahead.
 */
export function lazyLookahead(maxLookahead: number, gateDecided: ReadonlySet<string> = new Set()): Strategy {
  const eager = new LLkLookaheadStrategy({ maxLookahead });
  return {
    validate: (options) => eager.validate(options),
    initialize: (options) => eager.initialize?.(options),
    buildLookaheadForAlternation(options) {
      if (gateDecided.has(options.rule.name)) {
        return function (this: unknown, alts) {
          const chosen = (alts ?? []).findIndex((alt) => alt.GATE === undefined || alt.GATE.call(this));
          return chosen < 0 ? undefined : chosen;
        };
      }
      let built: Alternation | undefined;
      return function (this: unknown, alts) {
        built ??= eager.buildLookaheadForAlternation(options);
        return built.call(this, alts);
      };
    },
    buildLookaheadForOptional(options) {
      let built: Optional | undefined;
      return function (this: unknown) {
        built ??= eager.buildLookaheadForOptional(options);
        return built.call(this);
      };
    },
  };
}
