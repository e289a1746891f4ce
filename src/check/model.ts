/**
 * What the checker hands to the IR lowering: the workspace's symbol tables with names
 * resolved. Only meaningful when the check found no errors; with errors the tables hold the
 * first definition of each name and unresolved references are simply absent from `refs`.
 */
import type { CalendarDecl, ContactPolicyDecl, CoverageDecl, EventDecl, FieldDecl, FieldRef, PlaybookDecl } from '../language/ast.js';
import type { FieldTypeIr } from '../ir/types.js';
import type { PlaybookFile, TemplateFile } from '../workspace/types.js';

export interface FieldSymbol {
  name: string;
  type: FieldTypeIr;
  decl: FieldDecl;
}

/** A declared event and its payload fields (the first declaration of each name). */
export interface EventSymbol {
  name: string;
  decl: EventDecl;
  fields: ReadonlyMap<string, FieldSymbol>;
}

export interface CalendarSymbol {
  id: string;
  decl: CalendarDecl;
  file: PlaybookFile;
}

/** A `coverage` declaration and the file it is in (the first of each id). */
export interface CoverageSymbol {
  id: string;
  decl: CoverageDecl;
  file: PlaybookFile;
}

export interface PlaybookSymbol {
  id: string;
  decl: PlaybookDecl;
  file: PlaybookFile;
}

/** What a dotted reference (`account.x`, `kickoff.room`, `training.rating`) stands for. */
export type RefTarget =
  | { kind: 'field'; field: string }
  /** A field of the payload of an event bound with `as <event>` (a trigger's or a `wait for event`'s). */
  | { kind: 'eventField'; event: string; path: string[] }
  /** The answer to `ask <ask>` of the task named `<task>` with `as`. */
  | { kind: 'answer'; task: string; ask: string }
  /** `params.<name>`: a parameter the playbook declares, given by the `run playbook … with` that runs it. */
  | { kind: 'param'; param: string };

export interface CheckedWorkspace {
  fields: ReadonlyMap<string, FieldSymbol>;
  /** Null when the workspace has no `events` block: event names and payloads are then free (v1). */
  events: ReadonlyMap<string, EventSymbol> | null;
  calendars: ReadonlyMap<string, CalendarSymbol>;
  playbooks: ReadonlyMap<string, PlaybookSymbol>;
  templates: ReadonlyMap<string, TemplateFile>;
  /** Localised variants (`templates/<base>.<locale>.md`) by base template name, then locale. */
  templateVariants: ReadonlyMap<string, ReadonlyMap<string, TemplateFile>>;
  /** The workspace's `contact policy`, or null when it has none. */
  contactPolicy: ContactPolicyDecl | null;
  /** The workspace's `coverage` declarations by id. */
  coverages: ReadonlyMap<string, CoverageSymbol>;
  /** Every reference in playbooks and templates that resolved, keyed by its AST node. */
  refs: ReadonlyMap<FieldRef, RefTarget>;
}
