/**
 * A workspace: the `.playbook` files and email templates of one folder, parsed but not yet
 * checked. Source texts are kept so diagnostics can show the offending line.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceFile, TextPart } from '../language/ast.js';
import type { Span } from '../language/span.js';

/** A file as read from disk (or given by a test). */
export interface SourceText {
  /** The path shown in diagnostics: relative to the current directory, as the user typed it. */
  path: string;
  /** The path relative to the workspace folder, with `/` separators (stable across machines). */
  relPath: string;
  text: string;
}

export interface PlaybookFile extends SourceText {
  ast: SourceFile;
}

/** `templates/<name>.md`: a `Subject: <text>` line, a blank line, a Markdown body. */
export interface TemplateFile extends SourceText {
  /** The file name without `.md`, also for a localised variant (`welcome.de`). */
  name: string;
  /** `templates/<base>.<locale>.md`: the variant of template `base` for accounts of that locale. */
  variant?: { of: string; locale: string };
  subject: TextPart[];
  body: TextPart[];
  /** The whole first line; where "unknown template" follow-ups and template-wide problems point. */
  span: Span;
}

export interface Workspace {
  /** The workspace folder as the user typed it. */
  dir: string;
  /** Sorted by path. */
  files: PlaybookFile[];
  /** Sorted by name. */
  templates: TemplateFile[];
  /** Syntax errors of the files and format errors of the templates. */
  diagnostics: Diagnostic[];
  /** Source text by displayed path, for the renderer. */
  sources: ReadonlyMap<string, string>;
}
