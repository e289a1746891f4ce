/**
 * The HTML part of a customer-facing email: its Markdown body rendered with marked (CommonMark
 * and GitHub's extensions, the renderer most Markdown tools share). The body is a template
 * with account data put in, so raw HTML in it is shown as text, never passed on, and links go
 * only to web or mail addresses.
 */
import { Marked, type Tokens } from 'marked';
import { escapeHtml } from '../util/html.js';

const SAFE_LINK = /^(https?:|mailto:)/i;

const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    html: ({ text }: Tokens.HTML | Tokens.Tag) => escapeHtml(text),
    link(this: { parser: { parseInline(tokens: Tokens.Link['tokens']): string } }, { href, title, tokens }: Tokens.Link) {
      const label = this.parser.parseInline(tokens);
      if (!SAFE_LINK.test(href)) return label;
      return `<a href="${escapeHtml(href)}"${title ? ` title="${escapeHtml(title)}"` : ''}>${label}</a>`;
    },
    image: ({ text }: Tokens.Image) => escapeHtml(text),
  },
});

/** A whole HTML document for `markdown`, with the unsubscribe link at its foot when given. */
export function emailHtml(markdown: string, unsubscribeUrl: string | null): string {
  const body = marked.parse(markdown, { async: false });
  const foot = unsubscribeUrl === null ? '' : `<p style="font-size:12px;color:#666"><a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a></p>\n`;
  return `<!doctype html>\n<html><head><meta charset="utf-8"></head><body>\n${body}${foot}</body></html>\n`;
}

/** The plain-text part: the Markdown as written (it reads well as text), with the link at its foot. */
export function emailText(markdown: string, unsubscribeUrl: string | null): string {
  return unsubscribeUrl === null ? markdown : `${markdown.trimEnd()}\n\n--\nUnsubscribe: ${unsubscribeUrl}\n`;
}
