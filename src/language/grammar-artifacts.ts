/**
 * Artifacts generated from the grammar, checked in: a railroad diagram of the parser's rules
 * and a TextMate grammar (editor highlighting) built from the lexer's token definitions,
 * under `grammar/`, and the TypeScript types of the parser's CST nodes, which the AST builder
 * reads through. `npm run grammar` writes them; a test fails when they are stale.
 */
import { readFileSync } from 'node:fs';
import { createSyntaxDiagramsCode } from 'chevrotain';
import { generateCstDts } from './chevrotain.js';
import { computeLookaheadPaths } from './lookahead.js';
import { MAX_LOOKAHEAD, parser } from './parser.js';
import { keywords, type KeywordRole } from './tokens.js';

export interface GrammarArtifact {
  /** Path relative to the repository root. */
  path: string;
  content: string;
}

export function grammarArtifacts(): GrammarArtifact[] {
  return [
    { path: 'grammar/playbook-railroad.html', content: railroadHtml() },
    { path: 'grammar/playbook.tmLanguage.json', content: textMateGrammar() },
    { path: 'src/language/cst.generated.ts', content: cstTypes() },
    { path: 'src/language/lookahead.generated.ts', content: lookaheadTable() },
  ];
}

/**
 * chevrotain's `generateCstDts` output for the parser's rules: one `<Rule>CstNode` interface
 * and one `<Rule>CstChildren` type per rule, keyed by token, subrule or `LABEL`. It must get
 * the productions from the same chevrotain copy as the parser (`./chevrotain.js`).
 */
export function cstTypes(): string {
  const header = [
    '/**',
    " * The CST node types of the parser's rules, generated from `parser.ts` by `npm run grammar`",
    " * (chevrotain's `generateCstDts`); do not edit. `cst-access.ts` takes its keys from here.",
    ' * A key the types call required is still missing from a node that error recovery cut short.',
    ' */',
  ].join('\n');
  return `${header}\n${generateCstDts(parser.getGAstProductions(), { includeVisitorInterface: false })}`;
}

/** The token paths of every decision of the parser, which `lookahead.ts` decides by. */
export function lookaheadTable(): string {
  const header = [
    '/**',
    " * The lookahead paths of every decision of the parser's rules, generated from `parser.ts` by",
    " * `npm run grammar` (chevrotain's `getLookaheadPaths`); do not edit. Read by `lookahead.ts`.",
    ' */',
    "import type { LookaheadPaths } from './lookahead.js';",
  ].join('\n');
  const table = computeLookaheadPaths(Object.values(parser.getGAstProductions()), MAX_LOOKAHEAD);
  return `${header}\n\nexport const lookaheadPaths: LookaheadPaths = ${JSON.stringify(table)};\n`;
}

/** Where chevrotain's diagram scripts are referenced in the page, before they are inlined. */
const DIAGRAMS_BASE = 'chevrotain-diagrams/';
const DIAGRAM_RESOURCE = new RegExp(`<script src='${DIAGRAMS_BASE}([^']+)'></script>|<link rel='stylesheet' href='${DIAGRAMS_BASE}([^']+)'>`, 'g');

/**
 * The railroad diagram as one self-contained page: chevrotain's diagram scripts and CSS
 * (from the installed package) are inlined, so it opens offline, straight from the file.
 */
export function railroadHtml(): string {
  const page = createSyntaxDiagramsCode(parser.getSerializedGastProductions(), { resourceBase: DIAGRAMS_BASE, css: `${DIAGRAMS_BASE}diagrams.css` });
  const diagrams = new URL('../../diagrams/', import.meta.resolve('chevrotain'));
  const inlined = page.replace(DIAGRAM_RESOURCE, (_, script: string | undefined, css: string | undefined) => {
    const content = readFileSync(new URL(script ?? css ?? '', diagrams), 'utf8').trimEnd();
    return script ? `<script>\n${content}\n</script>` : `<style>\n${content}\n</style>`;
  });
  // A reference left over means chevrotain changed its page: fail rather than need the network.
  if (inlined.includes(DIAGRAMS_BASE)) throw new Error(`railroad diagram: a chevrotain resource was not inlined (${DIAGRAMS_BASE})`);
  return inlined;
}

const scopeByRole: Record<KeywordRole, string> = {
  declaration: 'storage.type',
  statement: 'keyword.control',
  clause: 'keyword.other',
  operator: 'keyword.operator.word',
  constant: 'constant.language',
  type: 'support.type',
  unit: 'keyword.other.unit',
  value: 'constant.other',
};

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A match for whole words: not inside a longer name and not a field after `.`. */
function wordsPattern(words: string[]): string {
  const alternatives = [...words].sort((a, b) => b.length - a.length || a.localeCompare(b)).map(escapeRegExp);
  return `(?<![.a-z0-9_-])(?:${alternatives.join('|')})(?![a-z0-9_-])`;
}

function wordsOf(name: string): string[] {
  return keywords.find((k) => k.spec.name === name)?.spec.words ?? [];
}

export function textMateGrammar(): string {
  const roles = Object.keys(scopeByRole) as KeywordRole[];
  const keywordRules = roles.map((role) => ({
    name: `${scopeByRole[role]}.playbook`,
    match: wordsPattern(keywords.filter((k) => k.spec.role === role).flatMap((k) => k.spec.words)),
  }));
  const units = ['Minute', 'Hour', 'Day', 'Week'].flatMap(wordsOf);
  const business = wordsOf('Business');
  const expression = [
    { include: '#date' },
    { include: '#time' },
    { include: '#duration' },
    { include: '#number' },
    { include: '#keywords' },
    { include: '#operator' },
  ];
  const grammar = {
    $schema: 'https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json',
    name: 'Playbook',
    scopeName: 'source.playbook',
    fileTypes: ['playbook'],
    patterns: [{ include: '#comment' }, { include: '#string' }, ...expression],
    repository: {
      comment: { name: 'comment.line.number-sign.playbook', match: '#.*$' },
      string: {
        name: 'string.quoted.double.playbook',
        begin: '"',
        end: '"|$',
        patterns: [
          { name: 'constant.character.escape.playbook', match: '\\\\["\\\\{}]' },
          {
            name: 'meta.interpolation.playbook',
            begin: '\\{',
            end: '\\}',
            beginCaptures: { '0': { name: 'punctuation.section.interpolation.begin.playbook' } },
            endCaptures: { '0': { name: 'punctuation.section.interpolation.end.playbook' } },
            patterns: expression,
          },
        ],
      },
      date: { name: 'constant.other.date.playbook', match: '\\b\\d{4}-\\d{2}-\\d{2}\\b' },
      time: { name: 'constant.other.time.playbook', match: '\\b\\d{1,2}:\\d{2}\\b' },
      duration: {
        name: 'constant.other.duration.playbook',
        match: `\\b\\d+\\s+(?:(?:${business.map(escapeRegExp).join('|')})\\s+)?${wordsPattern(units)}`,
      },
      number: { name: 'constant.numeric.playbook', match: '\\b\\d+(?:\\.\\d+)?\\b' },
      keywords: { patterns: keywordRules },
      operator: { name: 'keyword.operator.comparison.playbook', match: '!=|<=|>=|<|>|=' },
    },
  };
  return `${JSON.stringify(grammar, null, 2)}\n`;
}
