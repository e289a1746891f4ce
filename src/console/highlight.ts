/**
 * Playbook source highlighted on the server with shiki and the project's own TextMate grammar
 * (`grammar/playbook.tmLanguage.json`, what editors use), on shiki's JavaScript regex engine (no
 * WASM). The page's CSP allows no inline style, so tokens get classes, not colours: the theme
 * below gives each kind of scope a colour that is only a key, and `CLASS_OF` turns it into a
 * class `console.css` styles.
 */
import { readFileSync } from 'node:fs';
import { createHighlighterCore, type HighlighterCore, type ThemeRegistration } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';
import { escapeHtml } from '../util/html.js';
import { Html } from './html.js';

const GRAMMAR = new URL('../../grammar/playbook.tmLanguage.json', import.meta.url);
const LANG = 'playbook';
const THEME = 'playbook-classes';

/** Scope selectors, most specific first as TextMate themes match them, with the class each gets. */
const SCOPES: Array<[scope: string, className: string]> = [
  ['comment', 'hl-comment'],
  ['constant.character.escape', 'hl-escape'],
  ['punctuation.section.interpolation', 'hl-interpolation'],
  ['meta.interpolation', 'hl-interpolation'],
  ['string', 'hl-string'],
  ['constant.numeric', 'hl-number'],
  ['constant.other', 'hl-literal'],
  ['constant.language', 'hl-literal'],
  ['keyword.operator', 'hl-operator'],
  ['keyword.other.unit', 'hl-literal'],
  ['keyword', 'hl-keyword'],
  ['storage.type', 'hl-declaration'],
  ['support.type', 'hl-type'],
];

/** The colour standing for the i-th class: distinct, never a real colour choice. */
const keyOf = (i: number) => `#0000${(i + 1).toString(16).padStart(2, '0')}`;
const PLAIN = '#000000';
const CLASS_OF = new Map(SCOPES.map(([, className], i) => [keyOf(i), className]));

const theme: ThemeRegistration = {
  name: THEME,
  type: 'light',
  fg: PLAIN,
  bg: '#ffffff',
  settings: [{ settings: { foreground: PLAIN } }, ...SCOPES.map(([scope], i) => ({ scope, settings: { foreground: keyOf(i) } }))],
};

/** Made on first use: compiling the grammar takes a few hundred milliseconds, once per process. */
let highlighter: Promise<HighlighterCore> | null = null;

function loadHighlighter(): Promise<HighlighterCore> {
  highlighter ??= createHighlighterCore({
    langs: [{ ...JSON.parse(readFileSync(GRAMMAR, 'utf8')), name: LANG }],
    themes: [theme],
    // The grammar's expressions are plain ones the JavaScript engine takes as they are.
    engine: createJavaScriptRegexEngine({ forgiving: false }),
  });
  return highlighter;
}

/**
 * `source` as lines of classed tokens, numbered from `firstLine` as in its file (the numbers are
 * CSS, left out of a copy). Built as a string, not a template: inside `<pre>` every space counts.
 */
export async function highlightPlaybook(source: string, firstLine = 1): Promise<Html> {
  const lines = (await loadHighlighter()).codeToTokensBase(source, { lang: LANG, theme: THEME });
  const body = lines
    .map((tokens, i) => {
      const text = tokens
        .map((t) => {
          const className = CLASS_OF.get((t.color ?? PLAIN).toLowerCase());
          return className === undefined ? escapeHtml(t.content) : `<span class="${className}">${escapeHtml(t.content)}</span>`;
        })
        .join('');
      return `<span class="line" data-n="${firstLine + i}">${text}</span>`;
    })
    .join('\n');
  return new Html(`<pre class="source"><code>${body}</code></pre>`);
}
