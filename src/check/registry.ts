/**
 * The check registry (after Langium's validators): small checks registered per kind of
 * node, each called as `(node, accept, ctx)` by the walker. A check reads the node and the
 * context and reports through `accept`; it never throws and never mutates anything.
 */
import type { RelatedInfo } from '../diagnostics/diagnostic.js';
import type { CalendarDecl, Duration, Expr, FieldDecl, FieldRef, HeaderItem, PlaybookDecl, Recipient, Step } from '../language/ast.js';
import type { Pos, Span } from '../language/span.js';
import type { TemplateFile } from '../workspace/types.js';
import type { CheckCode } from './codes.js';
import type { Resolution } from './resolve.js';
import type { Binding, PlaybookScope } from './scope.js';
import type { Symbols } from './symbols.js';
import type { ValueType } from './value-type.js';
import type { ChildBlock } from './walk-steps.js';

/** The nodes checks can register for. `condition` is an expression used as a yes/no test. */
export interface NodeTypes {
  field: FieldDecl;
  calendar: CalendarDecl;
  playbook: PlaybookDecl;
  header: HeaderItem;
  /** Every list of steps: a playbook body and every nested block. */
  block: Pick<ChildBlock, 'steps'>;
  step: Step;
  recipient: Recipient;
  duration: Duration;
  expr: Expr;
  condition: Expr;
  template: TemplateFile;
}

export type Accept = (code: CheckCode, span: Span, message: string, more?: { hint?: string; related?: RelatedInfo[] }) => void;

export interface CheckContext {
  readonly symbols: Symbols;
  /** The playbook being walked; undefined for fields, calendars and templates. */
  readonly playbook: PlaybookDecl | undefined;
  /** The names the current playbook binds with `as`. */
  readonly scope: PlaybookScope | undefined;
  /** The binding `name` refers to at `at` in the step being walked (see `lookup`). */
  binding(name: string, at: Pos): { visible?: Binding; hidden?: Binding };
  /** The bindings in scope at `at` in the step being walked. */
  visibleBindings(at: Pos): Binding[];
  /** What a reference stands for at the point being walked, or the problem with it. */
  resolve(ref: FieldRef): Resolution;
  typeOf(expr: Expr): ValueType;
}

export type Check<K extends keyof NodeTypes> = (node: NodeTypes[K], accept: Accept, ctx: CheckContext) => void;

export type CheckRegistry = { [K in keyof NodeTypes]?: ReadonlyArray<Check<K>> };

/** Joins registries; checks of the same node kind run in the order given. */
export function mergeRegistries(...registries: CheckRegistry[]): CheckRegistry {
  const merged: { [K in keyof NodeTypes]?: Array<Check<K>> } = {};
  for (const registry of registries) {
    for (const kind of Object.keys(registry) as Array<keyof NodeTypes>) {
      append(merged, registry, kind);
    }
  }
  return merged;
}

function append<K extends keyof NodeTypes>(into: { [P in keyof NodeTypes]?: Array<Check<P>> }, from: CheckRegistry, kind: K): void {
  const checks = from[kind] as ReadonlyArray<Check<K>> | undefined;
  if (!checks) return;
  const list = (into[kind] ??= []) as Array<Check<K>>;
  list.push(...checks);
}
