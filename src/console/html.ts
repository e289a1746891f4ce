/**
 * HTML as typed values: `html\`<p>${text}</p>\`` escapes every interpolated string, so account
 * data, answers and messages can never become markup; only another `Html` (built by this tag)
 * is inserted as is. Arrays are joined; null, undefined and false render nothing.
 */
import { escapeHtml } from '../util/html.js';

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export type Renderable = Html | string | number | boolean | null | undefined | readonly Renderable[];

export function html(strings: TemplateStringsArray, ...values: Renderable[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new Html(out);
}

function render(value: Renderable): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** A path built from segments, each percent-encoded: `/runs/${a}/${b}` with account ids that may hold `/` or `?`. */
export function pathOf(...segments: string[]): string {
  return segments.map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join('/');
}
