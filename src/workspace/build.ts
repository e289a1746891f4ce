import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { parseSource } from '../language/parse.js';
import { compareStrings } from '../util/compare-strings.js';
import { parseTemplate, templateVariant } from './template.js';
import type { PlaybookFile, SourceText, TemplateFile, Workspace } from './types.js';

/**
 * Parses already-read sources into a Workspace. Pure (no file system), so tests and the
 * fuzzer can build workspaces in memory. `templates` are the `templates/*.md` files; a
 * template's name is its file name without `.md`; `<base>.<locale>.md` is a localised variant.
 */
export function buildWorkspace(dir: string, playbooks: SourceText[], templates: SourceText[] = []): Workspace {
  const diagnostics: Diagnostic[] = [];
  const files: PlaybookFile[] = [...playbooks]
    .sort((a, b) => compareStrings(a.path, b.path))
    .map((source) => {
      const parsed = parseSource(source.text, source.path);
      diagnostics.push(...parsed.diagnostics);
      return { ...source, ast: parsed.ast };
    });
  const parsedTemplates: TemplateFile[] = [...templates]
    .map((source) => ({ source, name: templateName(source.relPath) }))
    .sort((a, b) => compareStrings(a.name, b.name))
    .map(({ source, name }) => {
      const parsed = parseTemplate(source, name);
      diagnostics.push(...parsed.diagnostics);
      const variant = templateVariant(name);
      return variant ? { ...parsed.template, variant } : parsed.template;
    });
  const sources = new Map<string, string>();
  for (const source of [...files, ...parsedTemplates]) sources.set(source.path, source.text);
  return { dir, files, templates: parsedTemplates, diagnostics, sources };
}

function templateName(relPath: string): string {
  const base = relPath.slice(relPath.lastIndexOf('/') + 1);
  return base.endsWith('.md') ? base.slice(0, -'.md'.length) : base;
}
