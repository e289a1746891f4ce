/**
 * Walks every declaration, step, expression and template of a workspace in source order and
 * runs the registered checks on each node. Expressions are walked children first, so a
 * check on an expression sees its references already resolved. It trusts the AST types:
 * the AST builder leaves out a node that a syntax error left incomplete.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import {
  waitables,
  type Duration,
  type Expr,
  type FieldRef,
  type HeaderItem,
  type Ident,
  type PlaybookDecl,
  type Recipient,
  type Step,
  type TextLit,
  type TextPart,
} from '../language/ast.js';
import type { Span } from '../language/span.js';
import { isWarningCode } from './codes.js';
import type { RefTarget } from './model.js';
import type { Accept, Check, CheckContext, CheckRegistry, NodeTypes } from './registry.js';
import { resolveRef, type RefPlace, type Resolution } from './resolve.js';
import { collectBindings, lookup, visibleBindings, type Binding, type PlaybookScope } from './scope.js';
import type { Symbols } from './symbols.js';
import { typeOf, UNKNOWN, type ValueType } from './value-type.js';
import { childBlocks, type BranchChoice } from './walk-steps.js';

export function runChecks(symbols: Symbols, registry: CheckRegistry): { diagnostics: Diagnostic[]; refs: Map<FieldRef, RefTarget> } {
  const diagnostics: Diagnostic[] = [];
  const resolutions = new Map<FieldRef, Resolution>();
  let place: RefPlace = { kind: 'header', bindings: [] };
  let playbook: PlaybookDecl | undefined;
  let scope: PlaybookScope | undefined;

  const accept: Accept = (code, span, message, more = {}) => {
    const diagnostic: Diagnostic = { severity: isWarningCode(code) ? 'warning' : 'error', code, message, span };
    if (more.hint !== undefined) diagnostic.hint = more.hint;
    if (more.related?.length) diagnostic.related = more.related;
    diagnostics.push(diagnostic);
  };
  const resolve = (ref: FieldRef): Resolution => {
    let resolution = resolutions.get(ref);
    if (!resolution) {
      resolution = resolveRef(ref, symbols, place);
      resolutions.set(ref, resolution);
    }
    return resolution;
  };
  const refType = (ref: FieldRef): ValueType => {
    const r = resolve(ref);
    return 'type' in r ? r.type : UNKNOWN;
  };
  const ctx: CheckContext = {
    symbols,
    get playbook() {
      return playbook;
    },
    get scope() {
      return scope;
    },
    resolve,
    typeOf: (expr) => typeOf(expr, refType),
    binding: (name, at) => (place.kind === 'steps' ? lookup(place.scope, name, at, place.branches) : {}),
    visibleBindings: (at) => (place.kind === 'steps' ? visibleBindings(place.scope, at, place.branches) : []),
  };
  const run = <K extends keyof NodeTypes>(kind: K, node: NodeTypes[K]): void => {
    for (const check of (registry[kind] ?? []) as ReadonlyArray<Check<K>>) check(node, accept, ctx);
  };

  const expr = (e: Expr): void => {
    switch (e.kind) {
      case 'compare':
      case 'and':
      case 'or':
      case 'arith':
        expr(e.left);
        expr(e.right);
        break;
      case 'in':
        expr(e.left);
        for (const item of e.list) expr(item);
        break;
      case 'not':
      case 'isEmpty':
      case 'daysUntil':
      case 'daysSince':
      case 'businessDaysSince':
        expr(e.operand);
        break;
      case 'offset':
        duration(e.offset);
        expr(e.base);
        break;
      case 'duration':
        duration(e.duration);
        break;
      default:
        break;
    }
    run('expr', e);
  };
  const condition = (e: Expr | undefined): void => {
    if (!e) return;
    expr(e);
    run('condition', e);
  };
  const duration = (d: Duration | undefined): void => {
    if (d) run('duration', d);
  };
  // A wait's `where` reads the event it is judging under the wait's `as` name, in scope there
  // only (the event is bound for the steps after the wait once it is taken). Without `as`,
  // PB2175 is the one problem to report, so the condition is not walked.
  const candidateCondition = (where: Expr, as: Ident, event: string): void => {
    if (place.kind !== 'steps') return;
    const outer = place;
    const candidate: Binding = { name: as.name, kind: 'event', event, trigger: false, ident: as, visibleFrom: where.span.start, branches: outer.branches };
    place = { kind: 'steps', scope: { ...outer.scope, bindings: [candidate, ...outer.scope.bindings] }, branches: outer.branches };
    condition(where);
    place = outer;
  };
  const parts = (list: TextPart[]): void => {
    for (const part of list) if (part.kind === 'expr') expr(part.expr);
  };
  const text = (t: TextLit): void => parts(t.parts);
  const recipient = (r: Recipient): void => {
    if (r.kind === 'field') expr(r.field);
    run('recipient', r);
  };

  const header = (item: HeaderItem, triggerBound: Binding[]): void => {
    place = { kind: 'header', bindings: item.kind === 'exitWhen' || item.kind === 'runKey' || item.kind === 'goal' ? triggerBound : [] };
    if (item.kind === 'trigger') {
      const t = item.trigger;
      if (t.kind !== 'manual') duration(t.atMostOncePer);
      if (t.kind === 'event') {
        place = { kind: 'header', bindings: triggerBound.filter((b) => b.ident === t.as) };
        condition(t.where);
      }
      if (t.kind === 'relative') {
        duration(t.offset);
        expr(t.field);
        condition(t.where);
      }
      if (t.kind === 'when') condition(t.condition);
      if (t.kind === 'every') condition(t.where);
    }
    if (item.kind === 'exitWhen') condition(item.condition);
    if (item.kind === 'runKey') for (const part of item.parts) expr(part);
    if (item.kind === 'goal') {
      if (item.goal.milestone.kind === 'condition') condition(item.goal.milestone.condition);
      duration(item.goal.within);
    }
    run('header', item);
  };

  const stepParts = (step: Step): void => {
    switch (step.kind) {
      case 'email':
        for (const r of [...step.to, ...(step.cc ?? []), ...(step.bcc ?? [])]) recipient(r);
        if (step.from) {
          if (step.from.kind === 'field') expr(step.from.field);
          run('sender', step.from);
        }
        break;
      case 'notify':
        recipient(step.to);
        text(step.text);
        break;
      case 'task':
        text(step.title);
        recipient(step.assignee);
        duration(step.due);
        break;
      case 'escalate':
        recipient(step.to);
        text(step.text);
        break;
      case 'wait':
        duration(step.duration);
        break;
      case 'waitUntil':
        expr(step.at);
        break;
      case 'waitFor':
        for (const target of waitables(step.target)) {
          if (target.kind === 'condition') condition(target.condition);
          if (target.kind === 'event' && target.where && target.as) candidateCondition(target.where, target.as, target.name.value);
        }
        duration(step.upTo);
        for (const rung of step.rungs) duration(rung.after);
        break;
      case 'if':
        for (const branch of step.branches) condition(branch.condition);
        break;
      case 'repeat':
        duration(step.every);
        condition(step.until);
        break;
      case 'set':
        expr(step.field);
        expr(step.value);
        break;
      case 'webhook':
        for (const field of step.fields) expr(field.value);
        break;
      case 'runPlaybook':
        for (const arg of step.args) expr(arg.value);
        break;
      case 'note':
        text(step.text);
        break;
      default:
        break;
    }
  };

  const block = (steps: Step[], span: Span, branches: BranchChoice[]): void => {
    run('block', { steps, span });
    for (const step of steps) {
      place = { kind: 'steps', scope: scope!, branches };
      stepParts(step);
      run('step', step);
      for (const child of childBlocks(step)) block(child.steps, child.span, child.branch ? [...branches, child.branch] : branches);
    }
  };

  for (const file of symbols.workspace.files) {
    for (const decl of file.ast.declarations) {
      if (decl.kind === 'accountFields') {
        for (const field of decl.fields) run('field', field);
      } else if (decl.kind === 'events') {
        run('events', decl);
      } else if (decl.kind === 'contactPolicy') {
        for (const cap of decl.caps) duration(cap.period);
        run('contactPolicy', decl);
      } else if (decl.kind === 'coverage') {
        place = { kind: 'coverage' };
        condition(decl.population);
        run('coverage', decl);
      } else if (decl.kind === 'calendar') {
        place = { kind: 'calendar' };
        for (const item of decl.items)
          if (item.kind === 'timezone' || item.kind === 'holidays') for (const source of item.sources) if ('kind' in source) expr(source);
        run('calendar', decl);
      } else if (decl.kind === 'playbook') {
        playbook = decl;
        scope = collectBindings(decl);
        run('playbook', decl);
        const triggerBound = scope.bindings.filter((b) => b.kind === 'event' && b.trigger);
        for (const item of decl.header) header(item, triggerBound);
        block(decl.body, decl.span, []);
        playbook = undefined;
        scope = undefined;
      }
    }
  }
  for (const template of symbols.workspace.templates) {
    place = { kind: 'template' };
    parts(template.subject);
    parts(template.body);
    run('template', template);
  }

  const refs = new Map<FieldRef, RefTarget>();
  for (const [ref, resolution] of resolutions) if ('target' in resolution) refs.set(ref, resolution.target);
  return { diagnostics, refs };
}
