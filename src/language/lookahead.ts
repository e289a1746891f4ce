/**
 * chevrotain's LL(k) lookahead, decided from token paths computed ahead of time. Computing a
 * decision's paths walks the grammar (chevrotain's `getLookaheadPaths`), ~40 ms of CPU for
 * the decisions one `playbook check` reaches; `npm run grammar` computes them once for every
 * decision into `lookahead.generated.ts`, and a test fails when that file is stale. A
 * decision's function is built from its paths when the parser first reaches it, and decides
 * as chevrotain's own would: the first alternative (whose GATE holds) with a path the next
 * tokens match.
 */
import {
  Alternation,
  getLookaheadPaths,
  LLkLookaheadStrategy,
  NonTerminal,
  Option,
  Repetition,
  RepetitionMandatory,
  RepetitionMandatoryWithSeparator,
  RepetitionWithSeparator,
  tokenMatcher,
  type ILookaheadStrategy,
  type IProduction,
  type LookaheadProductionType,
  type IToken,
  type Rule,
  type TokenType,
} from './chevrotain.js';

/** Per decision (`decisionKey`): its alternatives, each a list of paths of token type names. */
export type LookaheadPaths = Readonly<Record<string, ReadonlyArray<ReadonlyArray<ReadonlyArray<string>>>>>;

type Strategy = ILookaheadStrategy;
type AlternationDecider = ReturnType<Strategy['buildLookaheadForAlternation']>;
type OptionalDecider = ReturnType<Strategy['buildLookaheadForOptional']>;
type Paths = TokenType[][];
/** The parser, as a lookahead function sees it (`this`). */
interface Lookahead {
  LA(howMuch: number): IToken;
}

function decisionKey(rule: string, prodType: string, occurrence: number): string {
  return `${rule} ${prodType} ${occurrence}`;
}

/**
 * `gateDecided`: rules whose one alternation is decided by its gates alone — the first
 * alternative whose GATE holds, or that has none — so it costs no token lookahead.
 */
export function pathLookahead(
  table: LookaheadPaths,
  vocabulary: readonly TokenType[],
  maxLookahead: number,
  gateDecided: ReadonlySet<string> = new Set(),
): Strategy {
  const byName = new Map(vocabulary.map((type) => [type.name, type]));
  const alternativesOf = (key: string): Paths[] => {
    const alternatives = table[key];
    if (!alternatives) throw new Error(`no lookahead paths for ${key}: run npm run grammar`);
    return alternatives.map((paths) =>
      paths.map((path) =>
        path.map((name) => {
          const type = byName.get(name);
          if (!type) throw new Error(`lookahead paths for ${key} name an unknown token ${name}: run npm run grammar`);
          return type;
        }),
      ),
    );
  };
  return {
    validate: (options) => new LLkLookaheadStrategy({ maxLookahead }).validate(options),
    buildLookaheadForAlternation({ rule, prodOccurrence, hasPredicates }) {
      if (gateDecided.has(rule.name)) {
        return function (this: unknown, alts) {
          const chosen = (alts ?? []).findIndex((alt) => alt.GATE === undefined || alt.GATE.call(this));
          return chosen < 0 ? undefined : chosen;
        };
      }
      let decide: AlternationDecider | undefined;
      return function (this: unknown, alts) {
        decide ??= alternationDecider(alternativesOf(decisionKey(rule.name, 'Alternation', prodOccurrence)), hasPredicates);
        return decide.call(this, alts);
      };
    },
    buildLookaheadForOptional({ rule, prodOccurrence, prodType }) {
      let decide: OptionalDecider | undefined;
      return function (this: unknown) {
        decide ??= optionalDecider(alternativesOf(decisionKey(rule.name, prodType, prodOccurrence))[0] ?? []);
        return decide.call(this);
      };
    },
  };
}

function matches(parser: Lookahead, path: TokenType[]): boolean {
  for (let i = 0; i < path.length; i++) if (!tokenMatcher(parser.LA(i + 1), path[i] as TokenType)) return false;
  return true;
}

/** Token type index → the first entry whose type is or has it as a member. */
function firstTokenTable<T>(entries: Array<[TokenType, T]>): Array<T | undefined> {
  const table: Array<T | undefined> = [];
  for (const [type, value] of entries) {
    for (const idx of [type.tokenTypeIdx ?? -1, ...(type.categoryMatches ?? [])]) table[idx] ??= value;
  }
  return table;
}

function alternationDecider(alternatives: Paths[], hasPredicates: boolean): AlternationDecider {
  if (!hasPredicates && alternatives.every((paths) => paths.every((path) => path.length === 1))) {
    const choice = firstTokenTable(alternatives.flatMap((paths, i) => paths.map(([type]) => [type as TokenType, i] as [TokenType, number])));
    return function (this: unknown) {
      return choice[(this as Lookahead).LA(1).tokenTypeIdx];
    };
  }
  return function (this: unknown, alts) {
    const parser = this as Lookahead;
    for (let i = 0; i < alternatives.length; i++) {
      const gate = hasPredicates ? alts?.[i]?.GATE : undefined;
      if (gate && gate.call(this) === false) continue;
      if ((alternatives[i] as Paths).some((path) => matches(parser, path))) return i;
    }
    return undefined;
  };
}

function optionalDecider(paths: Paths): OptionalDecider {
  if (paths.every((path) => path.length === 1)) {
    const enters = firstTokenTable(paths.map(([type]) => [type as TokenType, true] as [TokenType, boolean]));
    return function (this: unknown) {
      return enters[(this as Lookahead).LA(1).tokenTypeIdx] === true;
    };
  }
  return function (this: unknown) {
    const parser = this as Lookahead;
    return paths.some((path) => matches(parser, path));
  };
}

/** Every decision of the rules with its paths, for `lookahead.generated.ts`. */
export function computeLookaheadPaths(rules: readonly Rule[], maxLookahead: number): Record<string, string[][][]> {
  const table: Record<string, string[][][]> = {};
  const names = (paths: TokenType[][]) => paths.map((path) => path.map((type) => type.name));
  for (const rule of rules) {
    const visit = (productions: IProduction[]) => {
      for (const production of productions) {
        if (production instanceof NonTerminal) continue;
        const prodType = decisionType(production);
        if (prodType) {
          // Every decision production has an occurrence index and may set its own lookahead.
          const own = production as unknown as { idx: number; maxLookahead?: number };
          const options = { occurrence: own.idx, rule, prodType: prodType as LookaheadProductionType, maxLookahead: own.maxLookahead ?? maxLookahead };
          const paths = getLookaheadPaths(options);
          // An alternation has paths per alternative; an optional part, [inside, after].
          table[decisionKey(rule.name, prodType, options.occurrence)] = production instanceof Alternation ? paths.map(names) : [names(paths[0] ?? [])];
        }
        const inner = (production as { definition?: IProduction[] }).definition;
        if (inner) visit(inner);
      }
    };
    visit(rule.definition);
  }
  return table;
}

function decisionType(production: IProduction): string | undefined {
  if (production instanceof Alternation) return 'Alternation';
  if (production instanceof Option) return 'Option';
  if (production instanceof Repetition) return 'Repetition';
  if (production instanceof RepetitionMandatory) return 'RepetitionMandatory';
  if (production instanceof RepetitionMandatoryWithSeparator) return 'RepetitionMandatoryWithSeparator';
  if (production instanceof RepetitionWithSeparator) return 'RepetitionWithSeparator';
  return undefined;
}
