/**
 * CST → AST for expressions and durations, shared by the file builder and by `{...}`
 * interpolations. Returns `undefined` for a part that error recovery left incomplete (the
 * parser has reported it already).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ArithOp, CompareOp, Duration, DurationUnit, Expr, FieldRef, Ident } from './ast.js';
import type { CstNode, IToken } from './chevrotain.js';
import { child, childNodes, token, tokens } from './cst-access.js';
import type {
  AndExprCstNode,
  AtomCstNode,
  CompareOpCstNode,
  ComparisonCstNode,
  DirectionCstNode,
  DurationCstNode,
  DurationUnitCstNode,
  ExpressionCstNode,
  FieldRefCstNode,
  NotExprCstNode,
  PrefixCstNode,
  PrimaryCstNode,
  ReferenceCstNode,
} from './cst.generated.js';
import { spanFrom, type Span } from './span.js';
import { syntaxError } from './syntax-error.js';
import { quoteSource, tokenSpan } from './token-span.js';

/**
 * Deepest expression tree built. Chains (`a and b and …`) are parsed without recursion, but
 * every later stage walks the tree recursively, so its depth is bounded here.
 */
export const MAX_EXPRESSION_DEPTH = 200;

export class ExpressionBuilder {
  private depthReported = false;

  constructor(
    readonly file: string,
    readonly diagnostics: Diagnostic[],
  ) {}

  span(t: IToken): Span {
    return tokenSpan(t, this.file);
  }

  ident(t: IToken | undefined): Ident | undefined {
    return t && { name: t.image, span: this.span(t) };
  }

  expression(node: ExpressionCstNode | undefined, depth = 0): Expr | undefined {
    if (!node) return undefined;
    return this.chain(childNodes(node, 'andExpr'), 'or', depth, (n, d) => this.andExpr(n, d));
  }

  private andExpr(node: AndExprCstNode, depth: number): Expr | undefined {
    return this.chain(childNodes(node, 'notExpr'), 'and', depth, (n, d) => this.notExpr(n, d));
  }

  /** `a or b or c` as a left-leaning tree. */
  private chain<N extends CstNode>(operands: N[], kind: 'and' | 'or', depth: number, build: (node: N, depth: number) => Expr | undefined): Expr | undefined {
    if (!this.withinDepth(depth + operands.length, operands[0])) return undefined;
    let result: Expr | undefined;
    for (const operand of operands) {
      const right = build(operand, depth + operands.length);
      if (!right) return undefined;
      result = result ? { kind, left: result, right, span: spanFrom(result.span, right.span) } : right;
    }
    return result;
  }

  private notExpr(node: NotExprCstNode, depth: number): Expr | undefined {
    const nots = tokens(node, 'Not');
    if (!this.withinDepth(depth + nots.length, node)) return undefined;
    let result = this.comparison(child(node, 'comparison'), depth + nots.length);
    for (let i = nots.length - 1; i >= 0 && result; i--) {
      result = { kind: 'not', operand: result, span: spanFrom(this.span(nots[i] as IToken), result.span) };
    }
    return result;
  }

  private comparison(node: ComparisonCstNode | undefined, depth: number): Expr | undefined {
    if (!node) return undefined;
    const left = this.arithmetic(childNodes(node, 'left'), tokens(node, 'leftOp'), depth + 1);
    if (!left) return undefined;
    const empty = token(node, 'Empty');
    if (empty) return { kind: 'isEmpty', negated: token(node, 'Not') !== undefined, operand: left, span: spanFrom(left.span, this.span(empty)) };
    const opNode = child(node, 'compareOp');
    const is = token(node, 'Is');
    if (opNode || is) {
      const right = this.arithmetic(childNodes(node, 'right'), tokens(node, 'rightOp'), depth + 1);
      const op = is ? (token(node, 'Not') ? 'is not' : 'is') : opNode && compareOp(opNode);
      return right && op && { kind: 'compare', op, left, right, span: spanFrom(left.span, right.span) };
    }
    const listNode = child(node, 'list');
    if (listNode) {
      const close = token(listNode, 'RBracket');
      if (!close) return undefined;
      const list: Expr[] = [];
      for (const item of childNodes(listNode, 'expression')) {
        const expr = this.expression(item, depth + 1);
        if (!expr) return undefined;
        list.push(expr);
      }
      return { kind: 'in', negated: token(node, 'Not') !== undefined, left, list, span: spanFrom(left.span, this.span(close)) };
    }
    return left;
  }

  /**
   * A flat chain `a + b * c - d` as a tree: `*` and `/` bind tighter than `+` and `-`, and
   * operators of one level apply left to right.
   */
  private arithmetic(operands: PrimaryCstNode[], ops: IToken[], depth: number): Expr | undefined {
    if (operands.length === 0 || operands.length !== ops.length + 1) return undefined;
    if (!this.withinDepth(depth + operands.length, operands[0])) return undefined;
    const terms: Expr[] = [];
    const termOps: ArithOp[] = [];
    let term = this.primary(operands[0], depth + operands.length);
    for (let i = 0; i < ops.length; i++) {
      const right = this.primary(operands[i + 1], depth + operands.length);
      if (!term || !right) return undefined;
      const op = ops[i]!.image;
      // A token inserted by error recovery has no image: the parser reported it already.
      if (!isArithOp(op)) return undefined;
      if (op === '*' || op === '/') {
        term = { kind: 'arith', op, left: term, right, span: spanFrom(term.span, right.span) };
      } else {
        terms.push(term);
        termOps.push(op);
        term = right;
      }
    }
    if (!term) return undefined;
    terms.push(term);
    let result = terms[0]!;
    for (let i = 0; i < termOps.length; i++) {
      const right = terms[i + 1]!;
      result = { kind: 'arith', op: termOps[i]!, left: result, right, span: spanFrom(result.span, right.span) };
    }
    return result;
  }

  private primary(node: PrimaryCstNode | undefined, depth: number): Expr | undefined {
    if (!node) return undefined;
    const prefixes = childNodes(node, 'prefix');
    if (!this.withinDepth(depth + prefixes.length, node)) return undefined;
    let result = this.atom(child(node, 'atom'), depth + prefixes.length);
    for (let i = prefixes.length - 1; i >= 0 && result; i--) result = this.prefix(prefixes[i] as PrefixCstNode, result);
    return result;
  }

  private prefix(node: PrefixCstNode, operand: Expr): Expr | undefined {
    const durationNode = child(node, 'duration');
    if (durationNode) {
      const offset = this.duration(durationNode);
      const direction = this.direction(child(node, 'direction'));
      return offset && direction && { kind: 'offset', offset, direction, base: operand, span: spanFrom(offset.span, operand.span) };
    }
    const first = token(node, 'Day') ?? token(node, 'Business');
    if (!first) return undefined;
    const span = spanFrom(this.span(first), operand.span);
    if (token(node, 'Business')) return token(node, 'Since') && { kind: 'businessDaysSince', operand, span };
    if (token(node, 'Until')) return { kind: 'daysUntil', operand, span };
    return token(node, 'Since') && { kind: 'daysSince', operand, span };
  }

  /** A lone atom (an ask's `default`). */
  atomExpr(node: AtomCstNode | undefined): Expr | undefined {
    return this.atom(node, 0);
  }

  private atom(node: AtomCstNode | undefined, depth: number): Expr | undefined {
    if (!node) return undefined;
    const reference = child(node, 'reference');
    if (reference) return this.reference(reference);
    const open = token(node, 'LParen');
    if (open) {
      const inner = this.expression(child(node, 'expression'), depth + 1);
      const close = token(node, 'RParen');
      return inner && close && { ...inner, span: spanFrom(this.span(open), this.span(close)) };
    }
    const string = token(node, 'StringLit');
    if (string) return { kind: 'string', value: unquote(string), span: this.span(string) };
    const number = token(node, 'NumberLit');
    const unitNode = child(node, 'durationUnit');
    if (number && unitNode) {
      const duration = this.durationOf(number, unitNode);
      return duration && { kind: 'duration', duration, span: duration.span };
    }
    if (number) return { kind: 'number', value: Number(number.image), span: this.span(number) };
    const percent = token(node, 'PercentLit');
    if (percent) return { kind: 'number', value: Number((Number(percent.image.slice(0, -1)) / 100).toPrecision(15)), span: this.span(percent) };
    const date = token(node, 'DateLit');
    if (date) return this.checkDate(date) ? { kind: 'date', value: date.image, span: this.span(date) } : undefined;
    const yes = token(node, 'Yes') ?? token(node, 'True');
    if (yes) return { kind: 'bool', value: true, span: this.span(yes) };
    const no = token(node, 'No') ?? token(node, 'False');
    if (no) return { kind: 'bool', value: false, span: this.span(no) };
    const today = token(node, 'Today');
    return today && { kind: 'today', span: this.span(today) };
  }

  /** A bare word (`enterprise`) or a dotted reference (`account.segment`). */
  private reference(node: ReferenceCstNode): Expr | undefined {
    const root = this.ident(token(node, 'Name'));
    if (!root) return undefined;
    if (!node.children.Dot) return { kind: 'word', name: root.name, span: root.span };
    return this.dotted(root, node);
  }

  /** `account.renewal_date` in a place that needs a field (a recipient, `set`, a trigger). */
  fieldRef(node: FieldRefCstNode | undefined): FieldRef | undefined {
    const root = node && this.ident(token(node, 'Name'));
    return root && this.dotted(root, node);
  }

  private dotted(root: Ident, node: ReferenceCstNode | FieldRefCstNode): FieldRef | undefined {
    const words = tokens(node, 'Word');
    const dots = node.children.Dot?.length ?? 0;
    if (words.length === 0 || words.length !== dots) return undefined;
    const path = words.map((w) => ({ name: w.image, span: this.span(w) }));
    const last = path[path.length - 1] as Ident;
    return { kind: 'ref', root, path, span: spanFrom(root.span, last.span) };
  }

  duration(node: DurationCstNode | undefined): Duration | undefined {
    return node && this.durationOf(token(node, 'NumberLit'), child(node, 'durationUnit'));
  }

  /** A duration whose amount may be left out (`per day`: 1 day), as in a contact-policy cap. */
  period(amount: IToken | undefined, unitNode: DurationUnitCstNode | undefined): Duration | undefined {
    if (amount || !unitNode) return this.durationOf(amount, unitNode);
    const unit = durationUnit(unitNode);
    const unitTokens = Object.values(unitNode.children).flat() as IToken[];
    const first = unitTokens[0];
    const last = unitTokens[unitTokens.length - 1];
    return unit && first && last ? { amount: 1, unit, span: spanFrom(this.span(first), this.span(last)) } : undefined;
  }

  private durationOf(amount: IToken | undefined, unitNode: DurationUnitCstNode | undefined): Duration | undefined {
    const unit = unitNode && durationUnit(unitNode);
    if (!amount || !unit || !unitNode) return undefined;
    const value = Number(amount.image);
    if (!Number.isInteger(value)) {
      this.diagnostics.push(
        syntaxError(
          'PB1016',
          `a duration takes a whole number, found ${quoteSource(amount.image)}`,
          this.span(amount),
          'use a smaller unit, such as `30 minutes`',
        ),
      );
      return undefined;
    }
    const lastUnitToken = (['Day', 'Hour', 'Minute', 'Week', 'Month', 'Quarter', 'Year'] as const)
      .map((key) => tokens(unitNode, key)[0])
      .find((t) => t !== undefined);
    if (!lastUnitToken) return undefined;
    return { amount: value, unit, span: spanFrom(this.span(amount), this.span(lastUnitToken)) };
  }

  direction(node: DirectionCstNode | undefined): 'before' | 'after' | undefined {
    if (!node) return undefined;
    if (token(node, 'Before')) return 'before';
    return token(node, 'After') ? 'after' : undefined;
  }

  /** A `YYYY-MM-DD` that names a real day; reported (PB1015) otherwise. */
  checkDate(t: IToken): boolean {
    const [y, m, d] = t.image.split('-').map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    const valid = date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
    if (!valid) this.diagnostics.push(syntaxError('PB1015', `invalid date ${quoteSource(t.image)}: no such day`, this.span(t)));
    return valid;
  }

  private withinDepth(depth: number, at: CstNode | undefined): boolean {
    if (depth <= MAX_EXPRESSION_DEPTH) return true;
    const first = at && firstToken(at);
    if (!this.depthReported && first) {
      this.depthReported = true;
      this.diagnostics.push(
        syntaxError('PB1005', `expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep`, this.span(first), 'split it into smaller conditions'),
      );
    }
    return false;
  }
}

function firstToken(node: CstNode): IToken | undefined {
  let first: IToken | undefined;
  for (const elements of Object.values(node.children)) {
    for (const e of elements) {
      const t = 'image' in e ? e : firstToken(e);
      if (t && !Number.isNaN(t.startOffset) && (!first || t.startOffset < first.startOffset)) first = t;
    }
  }
  return first;
}

function isArithOp(image: string): image is ArithOp {
  return image === '+' || image === '-' || image === '*' || image === '/';
}

function compareOp(node: CompareOpCstNode): CompareOp | undefined {
  const ops: Array<[keyof CompareOpCstNode['children'], CompareOp]> = [
    ['Equals', '='],
    ['NotEquals', '!='],
    ['Less', '<'],
    ['LessEquals', '<='],
    ['Greater', '>'],
    ['GreaterEquals', '>='],
  ];
  return ops.find(([key]) => token(node, key))?.[1];
}

export function durationUnit(node: DurationUnitCstNode): DurationUnit | undefined {
  if (token(node, 'Business')) {
    if (token(node, 'Day')) return 'business day';
    return token(node, 'Hour') ? 'business hour' : undefined;
  }
  if (token(node, 'Minute')) return 'minute';
  if (token(node, 'Hour')) return 'hour';
  if (token(node, 'Day')) return 'day';
  if (token(node, 'Week')) return 'week';
  if (token(node, 'Month')) return 'month';
  if (token(node, 'Quarter')) return 'quarter';
  return token(node, 'Year') ? 'year' : undefined;
}

/** The value of a string token: quotes removed, `\"`, `\\`, `\{` and `\}` resolved. */
export function unquote(t: IToken): string {
  const closed = t.tokenType.name === 'StringLit';
  const inner = t.image.slice(1, closed ? -1 : undefined);
  return inner.replace(/\\(["\\{}])/g, '$1');
}
