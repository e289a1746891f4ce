/**
 * The check registry (after Langium's validators): small checks registered per kind of
 * node, each called as `(node, accept, ctx)` by the walker. A check reads the node and the
 * context and reports through `accept`; it is not meant to throw and never mutates anything.
 * As in Langium, a check that throws anyway is one internal error (PB9001) at the node it
 * was checking, not a crash, and the other checks still run.
 */
import type { RelatedInfo } from '../diagnostics/diagnostic.js';
import type {
  CalendarDecl,
  ContactPolicyDecl,
  CoverageDecl,
  Duration,
  EventsDecl,
  Expr,
  FieldDecl,
  FieldRef,
  HeaderItem,
  PlaybookDecl,
  Recipient,
  Sender,
  Step,
} from '../language/ast.js';
import type { Pos, Span } from '../language/span.js';
import type { TemplateFile } from '../workspace/types.js';
import { internalCheckMessage, type CheckCode, type InternalCode } from './codes.js';
import type { Resolution } from './resolve.js';
import type { Binding, PlaybookScope } from './scope.js';
import type { Symbols } from './symbols.js';
import type { ValueType } from './value-type.js';
import type { ChildBlock } from './walk-steps.js';

/** The nodes checks can register for. `condition` is an expression used as a yes/no test. */
export interface NodeTypes {
  field: FieldDecl;
  events: EventsDecl;
  contactPolicy: ContactPolicyDecl;
  coverage: CoverageDecl;
  calendar: CalendarDecl;
  playbook: PlaybookDecl;
  header: HeaderItem;
  /** Every list of steps: a playbook body and every nested block. */
  block: Pick<ChildBlock, 'steps' | 'span'>;
  step: Step;
  recipient: Recipient;
  /** `from` of an `email`. */
  sender: Sender;
  duration: Duration;
  expr: Expr;
  condition: Expr;
  template: TemplateFile;
}

export type Accept = (code: CheckCode | InternalCode, span: Span, message: string, more?: { hint?: string; related?: RelatedInfo[] }) => void;

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

/**
 * Joins registries by name and guards each check; checks of the same node kind run in the
 * order given. A check's name in PB9001 is `<registry>/<kind>#<n>`, e.g. `references/step#2`.
 */
export function mergeRegistries(registries: Record<string, CheckRegistry>): CheckRegistry {
  const merged: { [K in keyof NodeTypes]?: Array<Check<K>> } = {};
  for (const [name, registry] of Object.entries(registries)) {
    for (const kind of Object.keys(registry) as Array<keyof NodeTypes>) {
      append(merged, name, registry, kind);
    }
  }
  return merged;
}

function append<K extends keyof NodeTypes>(into: { [P in keyof NodeTypes]?: Array<Check<P>> }, name: string, from: CheckRegistry, kind: K): void {
  const checks = from[kind] as ReadonlyArray<Check<K>> | undefined;
  if (!checks) return;
  const list = (into[kind] ??= []) as Array<Check<K>>;
  checks.forEach((check, i) => list.push(guarded(`${name}/${kind}#${i + 1}`, check)));
}

function guarded<K extends keyof NodeTypes>(name: string, check: Check<K>): Check<K> {
  return (node, accept, ctx) => {
    try {
      check(node, accept, ctx);
    } catch (error) {
      accept('PB9001', node.span, internalCheckMessage(name, error));
    }
  };
}
