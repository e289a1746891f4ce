/**
 * Name resolution of dotted references: `account.<field>`, `<event>.<path>` (an event bound
 * with `as`) and `<task>.<ask>`. Returns the target and its type, or the one problem to
 * report at the reference (so it is reported once and its users see `unknown`).
 */
import type { FieldRef, Ident, ParameterDecl } from '../language/ast.js';
import type { Span } from '../language/span.js';
import type { RelatedInfo } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/suggest.js';
import type { CheckCode } from './codes.js';
import type { RefTarget } from './model.js';
import { isBefore, lookup, PARAMS, visibleBindings, type Binding, type PlaybookScope } from './scope.js';
import type { Symbols } from './symbols.js';
import { fieldValueType, type ValueType } from './value-type.js';
import type { BranchChoice } from './walk-steps.js';

export interface Problem {
  code: CheckCode;
  span: Span;
  message: string;
  hint?: string;
  related?: RelatedInfo[];
}

export type Resolution = { target: RefTarget; type: ValueType } | { problem: Problem };

/**
 * Where a reference appears: playbook steps see bindings; a header line sees `account` and the
 * events triggers bind (a trigger's `where` its own, `exit when` all of them); calendars and
 * templates see only `account`.
 */
export type RefPlace =
  { kind: 'steps'; scope: PlaybookScope; branches: BranchChoice[] } | { kind: 'header'; bindings: Binding[] } | { kind: 'calendar' | 'template' | 'coverage' };

const ACCOUNT = 'account';

export function resolveRef(ref: FieldRef, symbols: Symbols, place: RefPlace): Resolution {
  const root = ref.root.name;
  const path = ref.path;
  if (root === ACCOUNT) return resolveField(ref, path, symbols);
  if (place.kind === 'header') {
    const binding = place.bindings.find((b) => b.name === root);
    if (binding?.kind === 'event') return resolveEventField(ref, binding, symbols);
    return problem('PB2015', ref.root.span, `unknown name \`${root}\``, {
      hint:
        didYouMean(root, [ACCOUNT, ...place.bindings.map((b) => b.name)]) ??
        'header lines can use `account.<field>` and an event bound with `trigger on event "<name>" as <name>`',
    });
  }
  if (place.kind !== 'steps') {
    const where = { calendar: 'calendars', template: 'templates', coverage: 'coverage conditions' }[place.kind];
    return problem('PB2015', ref.root.span, `unknown name \`${root}\`: ${where} can only use \`account.<field>\``);
  }
  // In a playbook with parameters `params` names them (PB2009 keeps tasks and events off it);
  // elsewhere a binding of that name is found as before, and without one the hint says why.
  if (root === PARAMS && place.scope.parameters.length > 0) return resolveParam(ref, place.scope.parameters);
  const found = lookup(place.scope, root, ref.span.start, place.branches);
  if (found.visible?.kind === 'event') return resolveEventField(ref, found.visible, symbols);
  if (found.visible?.kind === 'task') {
    const ask = path[0];
    if (!ask) return problem('PB2019', ref.span, `\`${root}\` is a task; use one of its answers, e.g. \`${root}.<ask>\``);
    const asks = found.visible.task.asks;
    const decl = asks.find((a) => a.name.name === ask.name);
    if (!decl) {
      const names = asks.map((a) => a.name.name);
      return problem('PB2017', ask.span, `task \`${root}\` has no ask \`${ask.name}\``, {
        hint: didYouMean(ask.name, names) ?? (names.length ? `its asks are: ${names.join(', ')}` : `task \`${root}\` has no \`ask\` lines`),
        related: [{ message: 'task defined here', span: found.visible.ident.span }],
      });
    }
    if (path.length > 1) return tooDeep(path, `\`${root}.${ask.name}\` is an answer`);
    return { target: { kind: 'answer', task: root, ask: ask.name }, type: fieldValueType(decl.type) };
  }
  if (found.hidden) {
    const binding = found.hidden;
    const what = binding.kind === 'task' ? 'task' : 'event';
    const why = isBefore(ref.span.start, binding.visibleFrom)
      ? binding.kind === 'event'
        ? 'is only bound once its `wait for event` is over'
        : 'is defined by a later step'
      : 'is defined in another branch of an `if`';
    return problem('PB2018', ref.root.span, `${what} \`${root}\` ${why}`, {
      related: [{ message: `${what} defined here`, span: binding.ident.span }],
    });
  }
  if (root === PARAMS) {
    return problem('PB2164', ref.root.span, 'this playbook declares no parameters', {
      hint: 'declare them in the header, e.g. `parameters owner user, days number`, and give them with `run playbook <id> with owner: …`',
    });
  }
  return problem('PB2015', ref.root.span, `unknown name \`${root}\``, {
    hint:
      didYouMean(root, [ACCOUNT, ...visibleBindings(place.scope, ref.span.start, place.branches).map((b) => b.name)]) ??
      'use `account.<field>`, a task named with `as`, or an event bound with `as`',
  });
}

/**
 * `<event>.<field>`: typed by the event's declaration; without one (no `events` block, or an
 * undeclared name, reported where it is used) any path is taken and its type is unknown.
 */
function resolveEventField(ref: FieldRef, binding: Extract<Binding, { kind: 'event' }>, symbols: Symbols): Resolution {
  const root = ref.root.name;
  const path = ref.path;
  const name = path[0];
  if (!name) return problem('PB2019', ref.span, `\`${root}\` is an event; use one of its fields, e.g. \`${root}.<field>\``);
  const declared = symbols.events?.get(binding.event);
  if (!declared) return { target: { kind: 'eventField', event: root, path: path.map((p) => p.name) }, type: { kind: 'unknown' } };
  const field = declared.fields.get(name.name);
  if (!field) {
    const names = [...declared.fields.keys()];
    return problem('PB2071', name.span, `event "${binding.event}" has no payload field \`${name.name}\``, {
      hint: didYouMean(name.name, names) ?? (names.length ? `its fields are: ${names.join(', ')}` : `"${binding.event}" is declared without a payload`),
      related: [{ message: 'event declared here', span: declared.decl.name.span }],
    });
  }
  if (path.length > 1) return tooDeep(path, `\`${root}.${name.name}\` is a ${field.type.type} field`);
  return { target: { kind: 'eventField', event: root, path: [name.name] }, type: fieldValueType(field.decl.type) };
}

/** `params.<name>`: typed by the playbook's `parameters` line. */
function resolveParam(ref: FieldRef, parameters: ParameterDecl[]): Resolution {
  const name = ref.path[0];
  if (!name) return problem('PB2019', ref.span, '`params` needs a parameter, e.g. `params.owner`');
  const decl = parameters.find((p) => p.name.name === name.name);
  if (!decl) {
    const names = parameters.map((p) => p.name.name);
    return problem('PB2164', name.span, `this playbook has no parameter \`${name.name}\``, {
      hint: didYouMean(name.name, names) ?? `its parameters are: ${names.join(', ')}`,
    });
  }
  if (ref.path.length > 1) return tooDeep(ref.path, `\`params.${name.name}\` is a ${decl.type.name} parameter`);
  return { target: { kind: 'param', param: name.name }, type: { kind: decl.type.name } };
}

function resolveField(ref: FieldRef, path: Ident[], symbols: Symbols): Resolution {
  const name = path[0];
  if (!name) return problem('PB2019', ref.span, '`account` needs a field, e.g. `account.renewal_date`');
  const field = symbols.fields.get(name.name);
  if (!field) {
    return problem('PB2010', name.span, `unknown account field \`${name.name}\``, {
      hint:
        didYouMean(name.name, symbols.fields.keys()) ??
        (symbols.fields.size ? 'declare it under `account fields`' : 'the workspace declares no `account fields`'),
    });
  }
  if (path.length > 1) return tooDeep(path, `\`account.${name.name}\` is a ${field.type.type} field`);
  return { target: { kind: 'field', field: name.name }, type: fieldValueType(field.decl.type) };
}

function tooDeep(path: Ident[], what: string): Resolution {
  const extra = path.slice(1);
  const span = { file: extra[0]!.span.file, start: extra[0]!.span.start, end: extra[extra.length - 1]!.span.end };
  return problem('PB2019', span, `${what}; it has no \`.${extra.map((p) => p.name).join('.')}\``);
}

function problem(code: CheckCode, span: Span, message: string, more: { hint?: string; related?: RelatedInfo[] } = {}): Resolution {
  return { problem: { code, span, message, ...more } };
}
