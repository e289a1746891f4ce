/**
 * chevrotain for the front end, loaded from the one-file ES module build its package ships
 * (`lib/chevrotain.mjs`, the same code as the package entry, lodash inlined). The package
 * entry is a tree of modules importing some 640 lodash-es files, which costs each process
 * ~0.4 s of CPU to load; the one-file build loads in ~20 ms. The lexer, parser and AST
 * builder take chevrotain's values from here only, so they share one copy of its classes and
 * its `EOF` token type (a test checks that parsing loads nothing else of chevrotain).
 */
type Chevrotain = typeof import('chevrotain');

// The package entry resolves to `lib/src/api.js`; the one-file build is `lib/chevrotain.mjs`.
const bundle = new URL('../chevrotain.mjs', import.meta.resolve('chevrotain'));
const chevrotain = (await import(bundle.href)) as Chevrotain;

export const {
  Alternation,
  createToken,
  createTokenInstance,
  CstParser,
  EOF,
  generateCstDts,
  getLookaheadPaths,
  isRecognitionException,
  Lexer,
  LLkLookaheadStrategy,
  NonTerminal,
  Option,
  Repetition,
  RepetitionMandatory,
  RepetitionMandatoryWithSeparator,
  RepetitionWithSeparator,
  tokenLabel,
  tokenMatcher,
} = chevrotain;
export type Lexer = import('chevrotain').Lexer;
export type {
  CstChildrenDictionary,
  CstElement,
  CstNode,
  ILookaheadStrategy,
  IParserErrorMessageProvider,
  IProduction,
  IRecognitionException,
  IToken,
  ITokenConfig,
  LookaheadProductionType,
  Rule,
  TokenType,
} from 'chevrotain';
