import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { TextPart } from '../language/ast.js';
import { parseInterpolated } from '../language/interpolation.js';
import type { Pos, Span } from '../language/span.js';
import type { SourceText, TemplateFile } from './types.js';

const SUBJECT_PREFIX = /^Subject:[ \t]*/;

/**
 * Parses `templates/<name>.md`: `Subject: <text>`, a blank line, then the Markdown body;
 * both may hold `{expr}` interpolations. A malformed template still yields a TemplateFile
 * (so uses of it are not reported as unknown) plus a PB2060 diagnostic at the exact line.
 */
export function parseTemplate(source: SourceText, name: string): { template: TemplateFile; diagnostics: Diagnostic[] } {
  const { path, text } = source;
  const diagnostics: Diagnostic[] = [];
  const first = lineAt(text, 0);
  const firstLine = first.line;
  const lineSpan = (line: number, lineStart: number, length: number): Span => ({
    file: path,
    start: { offset: lineStart, line, col: 1 },
    end: { offset: lineStart + length, line, col: length + 1 },
  });
  const span = lineSpan(1, 0, firstLine.length);
  const malformed = (at: Span, message: string, hint: string): void => {
    diagnostics.push({ severity: 'error', code: 'PB2060', message, span: at, hint });
  };

  let subject: TextPart[] = [];
  let body: TextPart[] = [];
  const prefix = SUBJECT_PREFIX.exec(firstLine);
  if (!prefix) {
    malformed(span, `template \`${name}\` must start with a \`Subject:\` line`, 'write `Subject: <text>`, a blank line, then the body');
  } else if (firstLine.length === prefix[0].length) {
    malformed(span, `template \`${name}\` has an empty subject`, 'write the subject after `Subject:`');
  } else {
    const parsed = parseInterpolated(firstLine.slice(prefix[0].length), path, at(prefix[0].length, 1, prefix[0].length + 1));
    subject = parsed.parts;
    diagnostics.push(...parsed.diagnostics);
  }

  if (prefix && first.next !== undefined) {
    const second = lineAt(text, first.next);
    if (second.line.trim() !== '') {
      malformed(
        lineSpan(2, first.next, second.line.length),
        `template \`${name}\` needs a blank line after the subject`,
        'insert an empty line between the subject and the body',
      );
    } else if (second.next !== undefined) {
      const bodyStart = second.next;
      const parsed = parseInterpolated(text.slice(bodyStart), path, at(bodyStart, 3, 1));
      body = parsed.parts;
      diagnostics.push(...parsed.diagnostics);
    }
  }
  return { template: { ...source, name, subject, body, span }, diagnostics };
}

/**
 * A BCP 47 language with an optional region as template file names write it: `de`, `pt-BR`,
 * `es-419`. Only this exact spelling makes a variant, so a name such as `notes.v2` or
 * `welcome.DE` stays an ordinary template name.
 */
const LOCALE_SUFFIX = /^[a-z]{2,3}(-[A-Z]{2}|-[0-9]{3})?$/;

/** `welcome.pt-BR` → the variant of `welcome` for `pt-BR`; undefined for an ordinary name. */
export function templateVariant(name: string): { of: string; locale: string } | undefined {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  const locale = name.slice(dot + 1);
  return LOCALE_SUFFIX.test(locale) ? { of: name.slice(0, dot), locale } : undefined;
}

function at(offset: number, line: number, col: number): Pos {
  return { offset, line, col };
}

/** The line starting at `start` and where the next one starts (none after the last); breaks are `\r\n`, `\r` or `\n`. */
function lineAt(text: string, start: number): { line: string; next?: number } {
  const match = /\r\n|\r|\n/.exec(text.slice(start));
  if (!match) return { line: text.slice(start) };
  return { line: text.slice(start, start + match.index), next: start + match.index + match[0].length };
}
