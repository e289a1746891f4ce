/**
 * The workspace's symbol tables: account fields, calendars, playbooks and templates by
 * name. The first definition of a name wins; checks report the others as duplicates.
 */
import type { FieldTypeIr } from '../ir/types.js';
import type { ContactPolicyDecl, FieldType } from '../language/ast.js';
import type { TemplateFile, Workspace } from '../workspace/types.js';
import type { CalendarSymbol, CoverageSymbol, EventSymbol, FieldSymbol, PlaybookSymbol } from './model.js';

export interface Symbols {
  workspace: Workspace;
  fields: Map<string, FieldSymbol>;
  /** Null without an `events` block in the workspace. */
  events: Map<string, EventSymbol> | null;
  calendars: Map<string, CalendarSymbol>;
  playbooks: Map<string, PlaybookSymbol>;
  /** Ordinary templates; localised variants are in `templateVariants`, not here. */
  templates: Map<string, TemplateFile>;
  /** `templates/<base>.<locale>.md` by base name, then locale. */
  templateVariants: Map<string, Map<string, TemplateFile>>;
  /** The workspace's first `contact policy` (PB2130 reports the others), or null. */
  contactPolicy: ContactPolicyDecl | null;
  /** `coverage` declarations by id, the first of each (PB2181 reports the others). */
  coverages: Map<string, CoverageSymbol>;
}

export function buildSymbols(workspace: Workspace): Symbols {
  const symbols: Symbols = {
    workspace,
    fields: new Map(),
    events: null,
    calendars: new Map(),
    playbooks: new Map(),
    templates: new Map(),
    templateVariants: new Map(),
    contactPolicy: null,
    coverages: new Map(),
  };
  for (const file of workspace.files) {
    for (const decl of file.ast.declarations) {
      if (decl.kind === 'accountFields') {
        for (const field of decl.fields) {
          const name = field.name.name;
          if (!symbols.fields.has(name)) symbols.fields.set(name, { name, type: fieldTypeIr(field.type), decl: field });
        }
      } else if (decl.kind === 'events') {
        symbols.events ??= new Map();
        for (const event of decl.events) {
          const name = event.name.name;
          if (symbols.events.has(name)) continue;
          const fields = new Map<string, FieldSymbol>();
          for (const field of event.fields) {
            if (!fields.has(field.name.name)) fields.set(field.name.name, { name: field.name.name, type: fieldTypeIr(field.type), decl: field });
          }
          symbols.events.set(name, { name, decl: event, fields });
        }
      } else if (decl.kind === 'contactPolicy') {
        symbols.contactPolicy ??= decl;
      } else if (decl.kind === 'coverage') {
        const id = decl.id.name;
        if (!symbols.coverages.has(id)) symbols.coverages.set(id, { id, decl, file });
      } else if (decl.kind === 'calendar') {
        const id = decl.id.name;
        if (!symbols.calendars.has(id)) symbols.calendars.set(id, { id, decl, file });
      } else if (decl.kind === 'playbook') {
        const id = decl.id.name;
        if (!symbols.playbooks.has(id)) symbols.playbooks.set(id, { id, decl, file });
      }
    }
  }
  for (const template of workspace.templates) {
    if (template.variant) {
      const { of, locale } = template.variant;
      const variants = symbols.templateVariants.get(of) ?? new Map<string, TemplateFile>();
      symbols.templateVariants.set(of, variants.set(locale, template));
    } else if (!symbols.templates.has(template.name)) symbols.templates.set(template.name, template);
  }
  return symbols;
}

function fieldTypeIr(type: FieldType): FieldTypeIr {
  if (type.kind === 'list') return { type: 'list', of: type.of };
  return type.kind === 'oneOf' ? { type: 'one of', values: type.values.map((v) => v.name) } : { type: type.name };
}
