/**
 * CST → typed AST. Also checks the block structure the line-oriented grammar leaves open:
 * which lines own a block and need a `:`, where header lines, `else`, `after`, `on timeout`
 * and `ask` may appear. A node that error recovery left incomplete is left out of the AST
 * (the parser has reported why); its block is still walked so its own errors show.
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { closestName } from '../diagnostics/suggest.js';
import type {
  AccountFieldsDecl,
  AskDecl,
  AskType,
  Expr,
  LiteralExpr,
  Block,
  Cadence,
  CadenceDay,
  CalendarDecl,
  CalendarItem,
  CappedAction,
  ContactCap,
  ContactPolicyDecl,
  CoverageDecl,
  Declaration,
  EventDecl,
  EmailStep,
  EventsDecl,
  FieldDecl,
  FieldType,
  GoalAnchor,
  GoalDecl,
  GoalMilestone,
  HeaderItem,
  Ident,
  IfStep,
  NamedValue,
  ParameterDecl,
  PlaybookDecl,
  Recipient,
  Rung,
  ScalarFieldType,
  Sender,
  Severity,
  SourceFile,
  Step,
  StringLit,
  TextLit,
  TimeLit,
  Trigger,
  TriggerGuards,
  SingleWaitable,
  Waitable,
  WaitForStep,
  Weekday,
} from './ast.js';
import { durationUnit, ExpressionBuilder, unquote } from './build-expression.js';
import type { CstNode, IToken } from './chevrotain.js';
import { allChildNodes, child, childNodes, nodeSpan, onlyChildNode, token, tokens, type ChildNode } from './cst-access.js';
import type {
  AccountFieldsDeclCstNode,
  AskLineCstNode,
  BlockCstNode,
  CadenceCstNode,
  CalendarDeclCstNode,
  CalendarLineCstNode,
  CapLineCstNode,
  ContactPolicyDeclCstNode,
  CoverageDeclCstNode,
  CoverageLineCstNode,
  ElseLineCstNode,
  EmailStepCstNode,
  EventLineCstNode,
  EventsDeclCstNode,
  FieldLineCstNode,
  FieldTypeCstNode,
  FileCstNode,
  GoalLineCstNode,
  GoalMilestoneCstNode,
  GoalPointCstNode,
  IgnoringPolicyCstNode,
  LineContentCstNode,
  LineEndCstNode,
  PlaybookDeclCstNode,
  PolicyLineCstNode,
  RecipientCstNode,
  RecipientsCstNode,
  RunKeyLineCstNode,
  SenderCstNode,
  SendWindowLineCstNode,
  TaskStepCstNode,
  ThrottleLineCstNode,
  TriggerGuardCstNode,
  TriggerLineCstNode,
  UnknownDeclarationCstNode,
  UnknownLineCstNode,
  WaitableCstNode,
  WaitStepCstNode,
  WithListCstNode,
  WorkingItemCstNode,
} from './cst.generated.js';
import { textLiteral } from './interpolation.js';
import { spanFrom, type Span } from './span.js';
import { syntaxError } from './syntax-error.js';
import { describeToken, quoteSource } from './token-span.js';
import { keywords } from './tokens.js';

/** What a line of a playbook block holds: a step, a header line, a clause … */
/** A line's content rule; a `waitable` only in the block of `wait for any of`, a `goalMilestone` only in a goal's. */
type LineNode = ChildNode<LineContentCstNode> | WaitableCstNode | GoalMilestoneCstNode;

/** One line of a block: its content rule, the optional `:` and the block it owns. */
interface Line {
  content: LineNode;
  span: Span;
  colon: IToken | undefined;
  newline: IToken | undefined;
  block: BlockCstNode | undefined;
}

type BlockRule = 'none' | 'optional' | 'required';

const headerRules: ReadonlySet<LineNode['name']> = new Set([
  'ownerLine',
  'descriptionLine',
  'triggerLine',
  'calendarRefLine',
  'sendWindowLine',
  'exitWhenLine',
  'runKeyLine',
  'throttleLine',
  'parametersLine',
  'goalLine',
]);

/** The words that start a playbook line, for "did you mean" on an unknown step. */
const lineStartWords = keywords.filter((k) => k.spec.role === 'statement').flatMap((k) => k.spec.words);

export function buildAst(cst: FileCstNode, file: string, fileSpan: Span, diagnostics: Diagnostic[]): SourceFile {
  return new AstBuilder(file, diagnostics).sourceFile(cst, fileSpan);
}

class AstBuilder {
  private readonly expr: ExpressionBuilder;

  constructor(
    private readonly file: string,
    private readonly diagnostics: Diagnostic[],
  ) {
    this.expr = new ExpressionBuilder(file, diagnostics);
  }

  sourceFile(cst: FileCstNode, span: Span): SourceFile {
    const declarations: Declaration[] = [];
    for (const node of allChildNodes(cst)) {
      const decl = this.declaration(node);
      if (decl) declarations.push(decl);
    }
    // chevrotain groups children by rule; declarations belong in source order.
    declarations.sort((a, b) => a.span.start.offset - b.span.start.offset);
    return { file: this.file, declarations, span };
  }

  private declaration(node: ChildNode<FileCstNode>): Declaration | undefined {
    switch (node.name) {
      case 'playbookDecl':
        return this.playbook(node);
      case 'calendarDecl':
        return this.calendar(node);
      case 'accountFieldsDecl':
        return this.accountFields(node);
      case 'eventsDecl':
        return this.events(node);
      case 'contactPolicyDecl':
        return this.contactPolicy(node);
      case 'coverageDecl':
        return this.coverage(node);
      case 'unknownDeclaration':
        this.unknownDeclaration(node);
        return undefined;
    }
  }

  // -------------------------------------------------------------------------------------
  // Declarations

  private playbook(node: PlaybookDeclCstNode): PlaybookDecl | undefined {
    const head = child(node, 'playbookHead');
    this.lineEnd(child(node, 'lineEnd'));
    const span = head && nodeSpan(head, this.file);
    const block = child(node, 'block');
    const header: HeaderItem[] = [];
    const body = block ? this.steps(this.lines(block), header) : [];
    const id = head && this.ident(token(head, 'Name'));
    if (!span || !id) return undefined;
    if (!block) this.missingBlock(span, `playbook \`${id.name}\``);
    const title = head && this.stringLit(token(head, 'StringLit'));
    return { kind: 'playbook', id, ...(title && { title }), header, body, span };
  }

  private calendar(node: CalendarDeclCstNode): CalendarDecl | undefined {
    const head = child(node, 'calendarHead');
    this.lineEnd(child(node, 'lineEnd'));
    const span = head && nodeSpan(head, this.file);
    const block = child(node, 'calendarBlock');
    const items: CalendarItem[] = [];
    for (const line of block ? childNodes(block, 'calendarLine') : []) {
      const item = this.calendarItem(line);
      if (item) items.push(item);
    }
    const id = head && this.ident(token(head, 'Name'));
    if (!span || !id) return undefined;
    if (!block) this.missingBlock(span, `calendar \`${id.name}\``);
    const title = head && this.stringLit(token(head, 'StringLit'));
    return { kind: 'calendar', id, ...(title && { title }), items, span };
  }

  private accountFields(node: AccountFieldsDeclCstNode): AccountFieldsDecl | undefined {
    const head = child(node, 'accountFieldsHead');
    this.lineEnd(child(node, 'lineEnd'));
    const span = head && nodeSpan(head, this.file);
    const block = child(node, 'fieldsBlock');
    const fields: FieldDecl[] = [];
    for (const line of block ? childNodes(block, 'fieldLine') : []) {
      const field = this.fieldLine(line);
      if (field) fields.push(field);
    }
    if (!span) return undefined;
    if (!block) this.missingBlock(span, '`account fields`');
    return { kind: 'accountFields', fields, span };
  }

  private events(node: EventsDeclCstNode): EventsDecl | undefined {
    const keyword = token(node, 'Events');
    this.lineEnd(child(node, 'lineEnd'));
    const span = keyword && this.expr.span(keyword);
    const block = child(node, 'eventsBlock');
    const events: EventDecl[] = [];
    for (const line of block ? childNodes(block, 'eventLine') : []) {
      const event = this.eventLine(line);
      if (event) events.push(event);
    }
    if (!span) return undefined;
    if (!block) this.missingBlock(span, '`events`');
    return { kind: 'events', events, span };
  }

  private unknownDeclaration(node: UnknownDeclarationCstNode): void {
    this.lineEnd(child(node, 'lineEnd'));
    const first = token(node, 'NotDeclarationStart');
    if (!first) return;
    const suggestion =
      first.tokenType.name === 'Identifier' ? closestName(first.image, ['playbook', 'calendar', 'account', 'events', 'contact', 'coverage']) : undefined;
    const message = suggestion
      ? `unknown declaration ${quoteSource(first.image)}; did you mean \`${suggestion}\`?`
      : `expected \`playbook\`, \`calendar\`, \`account fields\`, \`events\`, \`contact policy\` or \`coverage\`, found ${describeToken(first)}`;
    this.diagnostics.push(syntaxError('PB1019', message, this.expr.span(first)));
  }

  // -------------------------------------------------------------------------------------
  // Coverage

  private coverage(node: CoverageDeclCstNode): CoverageDecl | undefined {
    const keyword = token(node, 'Coverage');
    const end = this.lineEnd(child(node, 'lineEnd'));
    const block = child(node, 'coverageBlock');
    const id = this.ident(token(node, 'Name'));
    const percent = token(node, 'PercentLit');
    if (!keyword || !id || !percent || percent.isInsertedInRecovery) return undefined;
    const span = spanFrom(this.expr.span(keyword), this.expr.span(percent));
    if (block && !end?.colon) {
      const at = end?.newline ? this.expr.span(end.newline) : span;
      this.diagnostics.push(syntaxError('PB1011', `missing \`:\` before the indented block of coverage \`${id.name}\``, at, 'add `:` at the end of the line'));
    }
    if (!block) {
      this.missingBlock(span, `coverage \`${id.name}\``);
      return undefined;
    }
    let population: { expr: Expr; span: Span } | undefined;
    let playbook: { ident: Ident; span: Span } | undefined;
    let complete = true;
    for (const line of childNodes(block, 'coverageLine')) {
      this.noColon(child(line, 'lineEnd'), 'a coverage line');
      this.noBlock(child(line, 'coverageBlock'), 'a coverage line');
      const read = this.coverageLine(line);
      if (read === undefined) {
        complete = false;
        continue;
      }
      const earlier = read.kind === 'population' ? population : playbook;
      if (earlier) {
        const what = read.kind === 'population' ? '`accounts where …`' : '`have run …`';
        this.diagnostics.push(
          syntaxError('PB1080', `coverage \`${id.name}\` gives ${what} twice`, read.span, 'keep one: join conditions with `and`, or declare another coverage'),
        );
        continue;
      }
      if (read.kind === 'population') population = read;
      else playbook = read;
    }
    if (!population || !playbook) {
      if (complete) {
        const missing = !population ? '`accounts where <condition>`' : '`have run <playbook>`';
        this.diagnostics.push(
          syntaxError(
            'PB1080',
            `coverage \`${id.name}\` has no ${missing} line`,
            span,
            'a coverage block holds `accounts where <condition>` and `have run <playbook>`',
          ),
        );
      }
      return undefined;
    }
    const title = this.stringLit(token(node, 'StringLit'));
    const target = { value: Number(percent.image.slice(0, -1)), span: this.expr.span(percent) };
    return { kind: 'coverage', id, ...(title && { title }), target, population: population.expr, playbook: playbook.ident, span };
  }

  /** One line of a coverage block; undefined (reported, PB1079) when it is neither form. */
  private coverageLine(node: CoverageLineCstNode): { kind: 'population'; expr: Expr; span: Span } | { kind: 'playbook'; ident: Ident; span: Span } | undefined {
    const population = child(node, 'populationLine');
    const covered = child(node, 'coveredByLine');
    const unknown = child(node, 'unknownCoverageLine');
    const first = population ? token(population, 'subject') : covered ? token(covered, 'verb') : unknown && token(unknown, 'LineContent');
    if (!first) return undefined;
    const expected = population ? 'accounts' : covered ? 'have' : undefined;
    if (expected === undefined || first.image !== expected) {
      const suggestion = first.tokenType.name === 'Identifier' || expected ? closestName(first.image, ['accounts', 'have']) : undefined;
      this.diagnostics.push(
        syntaxError(
          'PB1079',
          `expected \`accounts where <condition>\` or \`have run <playbook>\`, found ${describeToken(first)}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
          this.expr.span(first),
        ),
      );
      return undefined;
    }
    const span = nodeSpan(population ?? covered!, this.file);
    if (!span) return undefined;
    if (population) {
      const expr = this.expr.expression(child(population, 'expression'));
      return expr && { kind: 'population', expr, span };
    }
    const name = token(covered!, 'playbook');
    const ident = name && !name.isInsertedInRecovery ? this.ident(name) : undefined;
    return ident && { kind: 'playbook', ident, span };
  }

  // -------------------------------------------------------------------------------------
  // Contact policy

  private contactPolicy(node: ContactPolicyDeclCstNode): ContactPolicyDecl | undefined {
    this.lineEnd(child(node, 'lineEnd'));
    const type = token(node, 'ScalarType');
    const name = token(node, 'Name');
    if (!type || !name || name.isInsertedInRecovery) return undefined;
    const span = spanFrom(this.expr.span(type), this.expr.span(name));
    if (type.image !== 'contact' || name.image !== 'policy') {
      const found = `${type.image} ${name.image}`;
      this.diagnostics.push(syntaxError('PB1074', `unknown declaration ${quoteSource(found)}; did you mean \`contact policy\`?`, span));
      return undefined;
    }
    const block = child(node, 'policyBlock');
    const decl: ContactPolicyDecl = { kind: 'contactPolicy', caps: [], whenCapped: [], span };
    for (const line of block ? childNodes(block, 'policyLine') : []) this.policyLine(line, decl);
    if (!block) this.missingBlock(span, '`contact policy`');
    return decl;
  }

  private policyLine(node: PolicyLineCstNode, decl: ContactPolicyDecl): void {
    this.noColon(child(node, 'lineEnd'), 'a contact policy line');
    this.noBlock(child(node, 'policyBlock'), 'a contact policy line');
    const cap = child(node, 'capLine');
    if (cap) {
      const parsed = this.cap(cap);
      if (parsed) decl.caps.push(parsed);
      return;
    }
    const capped = child(node, 'cappedLine');
    if (capped) {
      const condition = token(capped, 'condition');
      const action = token(capped, 'action');
      if (!condition || !action || action.isInsertedInRecovery) return;
      const span = nodeSpan(capped, this.file);
      if (condition.image !== 'capped') {
        this.diagnostics.push(
          syntaxError(
            'PB1072',
            `expected \`when capped\`, found ${quoteSource(`when ${condition.image}`)}`,
            this.expr.span(condition),
            'write `when capped defer` or `when capped skip`',
          ),
        );
        return;
      }
      if (action.image !== 'defer' && action.image !== 'skip') {
        const suggestion = closestName(action.image, cappedActions);
        this.diagnostics.push(
          syntaxError(
            'PB1072',
            `\`when capped\` takes \`defer\` or \`skip\`, found ${quoteSource(action.image)}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
            this.expr.span(action),
          ),
        );
        return;
      }
      if (span) decl.whenCapped.push({ action: action.image, span });
      return;
    }
    this.lineEnd(child(node, 'lineEnd'));
    const unknown = child(node, 'unknownPolicyLine');
    const first = unknown && token(unknown, 'NotPolicyStart');
    if (!first) return;
    const suggestion = first.tokenType.name === 'Identifier' ? closestName(first.image, ['at', 'when']) : undefined;
    this.diagnostics.push(
      syntaxError(
        'PB1070',
        `expected a cap such as \`at most 2 emails per contact per 5 business days\` or \`when capped defer\`, found ${describeToken(first)}${
          suggestion ? `; did you mean \`${suggestion}\`?` : ''
        }`,
        this.expr.span(first),
      ),
    );
  }

  private cap(node: CapLineCstNode): ContactCap | undefined {
    const countToken = token(node, 'count');
    const unit = token(node, 'unit');
    const subject = token(node, 'subject');
    const span = nodeSpan(node, this.file);
    if (!countToken || !unit || !subject || !span || unit.isInsertedInRecovery || subject.isInsertedInRecovery) return undefined;
    for (const [word, candidates] of [
      [unit, ['email', 'emails']],
      [subject, ['contact']],
    ] as const) {
      if ((candidates as readonly string[]).includes(word.image)) continue;
      const suggestion = closestName(word.image, candidates);
      this.diagnostics.push(
        syntaxError(
          'PB1071',
          `a cap counts \`emails per contact\`, found ${quoteSource(word.image)}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`,
          this.expr.span(word),
          'write e.g. `at most 2 emails per contact per 5 business days`',
        ),
      );
      return undefined;
    }
    const count = Number(countToken.image);
    if (!Number.isInteger(count)) {
      this.diagnostics.push(syntaxError('PB1016', `a cap takes a whole number of emails, found ${quoteSource(countToken.image)}`, this.expr.span(countToken)));
      return undefined;
    }
    const period = this.expr.period(token(node, 'amount'), child(node, 'durationUnit'));
    return period && { count, period, span };
  }

  // -------------------------------------------------------------------------------------
  // Account fields

  private fieldLine(node: FieldLineCstNode): FieldDecl | undefined {
    this.noColon(child(node, 'lineEnd'), 'a field');
    this.noBlock(child(node, 'fieldsBlock'), 'a field');
    const decl = child(node, 'fieldDecl');
    if (!decl) {
      const unknown = child(node, 'unknownFieldLine');
      const first = unknown && token(unknown, 'NotFieldStart');
      if (first)
        this.diagnostics.push(syntaxError('PB1019', `expected a field such as \`renewal_date: date\`, found ${describeToken(first)}`, this.expr.span(first)));
      return undefined;
    }
    const name = this.ident(token(decl, 'Word'));
    const type = this.fieldType(child(decl, 'fieldType'));
    const span = nodeSpan(decl, this.file);
    return name && type && span && { name, type, span };
  }

  private fieldType(node: FieldTypeCstNode | undefined): FieldType | undefined {
    if (!node) return undefined;
    const span = nodeSpan(node, this.file);
    const oneOf = child(node, 'oneOf');
    if (oneOf) {
      const values = tokens(oneOf, 'Word').map((w) => ({ name: w.image, span: this.expr.span(w) }));
      return span && values.length > 0 ? { kind: 'oneOf', values, span } : undefined;
    }
    const list = child(node, 'listOf');
    if (list) {
      const item = token(list, 'ScalarType') ?? token(list, 'Timezone') ?? token(list, 'YesNo');
      return item && !item.isInsertedInRecovery && span ? { kind: 'list', of: item.image as ScalarFieldType, span } : undefined;
    }
    const t = token(node, 'ScalarType') ?? token(node, 'Timezone') ?? token(node, 'YesNo');
    return t && span && { kind: 'scalar', name: t.image as ScalarFieldType, span };
  }

  // -------------------------------------------------------------------------------------
  // Events

  private eventLine(node: EventLineCstNode): EventDecl | undefined {
    this.noBlock(child(node, 'eventsBlock'), 'an event');
    const decl = child(node, 'eventDecl');
    if (!decl) {
      this.lineEnd(child(node, 'lineEnd'));
      const unknown = child(node, 'unknownFieldLine');
      const first = unknown && token(unknown, 'NotFieldStart');
      if (first)
        this.diagnostics.push(
          syntaxError('PB1019', `expected an event such as \`kickoff.held: attendees text\`, found ${describeToken(first)}`, this.expr.span(first)),
        );
      return undefined;
    }
    this.noColon(child(node, 'lineEnd'), 'an event');
    const words = tokens(decl, 'Word');
    const first = words[0];
    const last = words[words.length - 1];
    if (!first || !last || words.some((w) => w.isInsertedInRecovery)) return undefined;
    const nameSpan = { ...this.expr.span(first), end: this.expr.span(last).end };
    const name = { name: words.map((w) => w.image).join('.'), span: nameSpan };
    const fields: FieldDecl[] = [];
    for (const item of childNodes(decl, 'payloadItem')) {
      const word = token(item, 'Word');
      const span = nodeSpan(item, this.file);
      if (!word || !span || word.isInsertedInRecovery) continue;
      const typeToken = token(item, 'ScalarType') ?? token(item, 'Timezone') ?? token(item, 'YesNo');
      const value = token(item, 'value');
      const previous = fields[fields.length - 1];
      const listOf = child(item, 'listOf');
      if (listOf) {
        const itemType = token(listOf, 'ScalarType') ?? token(listOf, 'Timezone') ?? token(listOf, 'YesNo');
        const listSpan = nodeSpan(listOf, this.file);
        if (!itemType || itemType.isInsertedInRecovery || !listSpan) continue;
        fields.push({
          name: { name: word.image, span: this.expr.span(word) },
          type: { kind: 'list', of: itemType.image as ScalarFieldType, span: listSpan },
          span,
        });
      } else if (typeToken) {
        const type = { kind: 'scalar' as const, name: typeToken.image as ScalarFieldType, span: this.expr.span(typeToken) };
        fields.push({ name: { name: word.image, span: this.expr.span(word) }, type, span });
      } else if (value) {
        const typeSpan = { ...this.expr.span(token(item, 'One') ?? value), end: this.expr.span(value).end };
        const type = { kind: 'oneOf' as const, values: [{ name: value.image, span: this.expr.span(value) }], span: typeSpan };
        fields.push({ name: { name: word.image, span: this.expr.span(word) }, type, span });
      } else if (previous?.type.kind === 'oneOf') {
        // A bare word after a `one of` field is its next value (commas separate both).
        previous.type.values.push({ name: word.image, span: this.expr.span(word) });
        previous.type.span = { ...previous.type.span, end: span.end };
        previous.span = { ...previous.span, end: span.end };
      } else {
        this.diagnostics.push(
          syntaxError('PB1024', `payload field \`${word.image}\` has no type`, span, `give it a type, e.g. \`${word.image} text\` or \`${word.image} number\``),
        );
      }
    }
    return { name, fields, span: nodeSpan(decl, this.file) ?? nameSpan };
  }

  // -------------------------------------------------------------------------------------
  // Calendars

  private calendarItem(line: CalendarLineCstNode): CalendarItem | undefined {
    this.noColon(child(line, 'lineEnd'), 'a calendar line');
    this.noBlock(child(line, 'calendarBlock'), 'a calendar line');
    const node = onlyChildNode(line);
    const span = node && nodeSpan(node, this.file);
    if (!node || !span) return undefined;
    switch (node.name) {
      case 'timezoneItem': {
        const sources = [];
        for (const source of childNodes(node, 'timezoneSource')) {
          const ref = child(source, 'fieldRef');
          const s = ref ? this.expr.fieldRef(ref) : this.stringLit(token(source, 'StringLit'));
          if (!s) return undefined;
          sources.push(s);
        }
        return sources.length > 0 ? { kind: 'timezone', sources, span } : undefined;
      }
      case 'workingItem': {
        const weekdays = child(node, 'weekdays');
        if (weekdays) {
          const days = tokens(weekdays, 'Weekday').map((d) => ({ day: d.image as Weekday, span: this.expr.span(d) }));
          return days.length > 0 ? { kind: 'workingDays', days, range: token(weekdays, 'To') !== undefined, span } : undefined;
        }
        const [from, to] = this.timeRange(node);
        return from && to && { kind: 'workingHours', from, to, span };
      }
      case 'holidaysItem': {
        const sources = [];
        for (const source of childNodes(node, 'holidaysSource')) {
          const ref = child(source, 'fieldRef');
          const s = ref ? this.expr.fieldRef(ref) : this.stringLit(token(source, 'StringLit'));
          if (!s) return undefined;
          sources.push(s);
        }
        return sources.length > 0 ? { kind: 'holidays', sources, span } : undefined;
      }
      case 'holidayItem': {
        const date = token(node, 'DateLit');
        if (!date || !this.expr.checkDate(date)) return undefined;
        const name = this.stringLit(token(node, 'StringLit'));
        return { kind: 'holiday', date: { value: date.image, span: this.expr.span(date) }, ...(name && { name }), span };
      }
      case 'unknownCalendarLine': {
        const first = token(node, 'NotCalendarStart');
        if (!first) return undefined;
        const suggestion = first.tokenType.name === 'Identifier' ? closestName(first.image, ['timezone', 'working', 'holidays', 'holiday']) : undefined;
        const message = suggestion
          ? `unknown calendar line ${quoteSource(first.image)}; did you mean \`${suggestion}\`?`
          : `expected \`timezone\`, \`working days\`, \`working hours\`, \`holidays\` or \`holiday\`, found ${describeToken(first)}`;
        this.diagnostics.push(syntaxError('PB1019', message, this.expr.span(first)));
        return undefined;
      }
    }
  }

  /** `HH:MM to HH:MM`, each checked. */
  private timeRange(node: WorkingItemCstNode | SendWindowLineCstNode): [TimeLit | undefined, TimeLit | undefined] {
    return [this.time(token(node, 'from')), this.time(token(node, 'to'))];
  }

  private time(t: IToken | undefined): TimeLit | undefined {
    if (!t) return undefined;
    const [h, m] = t.image.split(':').map(Number) as [number, number];
    if (t.image.length !== 5 || h > 23 || m > 59) {
      const hint = t.image.length !== 5 && h <= 23 && m <= 59 ? `write \`${t.image.padStart(5, '0')}\`` : 'times run from `00:00` to `23:59`';
      this.diagnostics.push(syntaxError('PB1014', `invalid time ${quoteSource(t.image)}`, this.expr.span(t), hint));
      return undefined;
    }
    return { value: t.image, span: this.expr.span(t) };
  }

  // -------------------------------------------------------------------------------------
  // Playbook bodies

  private lines(block: BlockCstNode): Line[] {
    const lines: Line[] = [];
    for (const node of childNodes(block, 'line')) {
      const lineContent = child(node, 'lineContent');
      const content = child(node, 'waitable') ?? child(node, 'goalMilestone') ?? (lineContent && onlyChildNode(lineContent));
      const span = content && nodeSpan(content, this.file);
      const end = this.lineEnd(child(node, 'lineEnd'));
      if (!content || !span) continue;
      lines.push({ content, span, colon: end?.colon, newline: end?.newline, block: child(node, 'block') });
    }
    return lines;
  }

  /**
   * The steps of a block. `header` collects header lines when the block is a playbook's
   * body; they must come before its first step.
   */
  private steps(lines: Line[], header?: HeaderItem[]): Step[] {
    const steps: Step[] = [];
    let lastIf: IfStep | undefined;
    let stepSeen = false;
    for (const line of lines) {
      const node = line.content;
      const previousIf = lastIf;
      lastIf = undefined;
      if (headerRules.has(node.name)) {
        // A goal's block is its milestone line, read with the goal.
        if (node.name !== 'goalLine') this.checkBlock(line, 'none');
        else if (!header || stepSeen) this.checkBlock(line, 'optional');
        if (header && !stepSeen) {
          const item = this.headerItem(line);
          if (item) header.push(item);
        } else {
          const where = header ? 'before the first step' : 'at the top of the playbook, not inside a block';
          this.misplaced('PB1017', line, `\`${firstWord(line)}\` is a header line; it belongs ${where}`);
        }
        continue;
      }
      if (node.name === 'elseLine') {
        this.elseBranch(line, node, previousIf);
        lastIf = previousIf?.else ? undefined : previousIf;
        continue;
      }
      if (node.name === 'unknownLine') {
        this.unknownStep(line, node);
        continue;
      }
      stepSeen = true;
      const step = this.step(line);
      if (step) steps.push(step);
      // An `if` left out for a syntax error still takes its `else` lines, silently.
      if (node.name === 'ifLine') lastIf = step?.kind === 'if' ? step : { kind: 'if', branches: [], span: line.span };
    }
    return steps;
  }

  private step(line: Line): Step | undefined {
    const node = line.content;
    const span = line.span;
    switch (node.name) {
      case 'stageLine': {
        const body = this.blockSteps(line, 'required');
        const id = this.ident(token(node, 'Name'));
        const title = this.stringLit(token(node, 'StringLit'));
        return id && { kind: 'stage', id, ...(title && { title }), body, span };
      }
      case 'emailStep':
        this.checkBlock(line, 'none');
        return this.email(node, span);
      case 'notifyStep': {
        this.checkBlock(line, 'none');
        const to = this.recipient(child(node, 'recipient'));
        const text = this.text(token(node, 'StringLit'));
        return to && text && { kind: 'notify', to, text, span };
      }
      case 'taskStep':
        return this.task(line, node);
      case 'askLine':
        this.checkBlock(line, 'none');
        this.misplaced('PB1018', line, '`ask` belongs in the indented block of a `task`');
        return undefined;
      case 'escalateStep': {
        this.checkBlock(line, 'none');
        const to = this.recipient(child(node, 'recipient'));
        const level = token(node, 'SeverityLevel');
        const text = this.text(token(node, 'StringLit'));
        const severity = level && { value: level.image as Severity, span: this.expr.span(level) };
        return to && text && { kind: 'escalate', to, ...(severity && { severity }), text, span };
      }
      case 'waitStep':
        return this.wait(line, node);
      case 'ifLine': {
        const body = this.blockSteps(line, 'required');
        const condition = this.expr.expression(child(node, 'expression'));
        return condition && { kind: 'if', branches: [{ condition, body, span }], span };
      }
      case 'repeatLine': {
        const body = this.blockSteps(line, 'required');
        const every = this.expr.duration(child(node, 'duration'));
        const count = token(node, 'NumberLit');
        const atMost = count && this.count(count);
        if (count && !atMost) return undefined;
        const untilNode = child(node, 'expression');
        const until = untilNode && this.expr.expression(untilNode);
        if (!every || (untilNode && !until)) return undefined;
        return { kind: 'repeat', every, ...(atMost && { atMost }), ...(until && { until }), body, span };
      }
      case 'setStep': {
        this.checkBlock(line, 'none');
        const field = this.expr.fieldRef(child(node, 'fieldRef'));
        const value = this.expr.expression(child(node, 'expression'));
        return field && value && { kind: 'set', field, value, span };
      }
      case 'webhookStep': {
        this.checkBlock(line, 'none');
        const endpoint = this.stringLit(token(node, 'StringLit'));
        const fields = this.withFields(child(node, 'withList'));
        return endpoint && fields && { kind: 'webhook', endpoint, fields, span };
      }
      case 'runStep': {
        this.checkBlock(line, 'none');
        const playbook = this.ident(token(node, 'Name'));
        const args = this.withFields(child(node, 'withList'));
        return playbook && args && { kind: 'runPlaybook', playbook, args, span };
      }
      case 'noteStep': {
        this.checkBlock(line, 'none');
        const text = this.text(token(node, 'StringLit'));
        return text && { kind: 'note', text, span };
      }
      case 'stopStep': {
        this.checkBlock(line, 'none');
        const outcome = this.stringLit(token(node, 'StringLit'));
        if (token(node, 'With') && !outcome) return undefined;
        return { kind: 'stop', ...(outcome && { outcome }), span };
      }
      case 'afterLine':
      case 'onTimeoutLine':
        this.blockSteps(line, 'required');
        this.misplaced('PB1018', line, `\`${firstWord(line)}\` belongs in the indented block of a \`wait for\``);
        return undefined;
      default:
        return undefined;
    }
  }

  private email(node: EmailStepCstNode, span: Span): Step | undefined {
    const to = this.recipientList(child(node, 'recipients'));
    const template = this.stringLit(token(node, 'StringLit'));
    const ignoring = child(node, 'ignoringPolicy');
    const ignoringPolicy = ignoring && this.ignoringPolicy(ignoring);
    const step: EmailStep | undefined = to && template && { kind: 'email', to, template, ...(ignoringPolicy && { ignoringPolicy }), span };
    let complete = step !== undefined && !(ignoring && !ignoringPolicy);
    const given = new Map<string, IToken>();
    for (const clause of childNodes(node, 'emailClause')) {
      const keyword = token(clause, 'Cc') ?? token(clause, 'Bcc') ?? token(clause, 'From');
      if (!keyword || keyword.isInsertedInRecovery) {
        complete = false;
        continue;
      }
      const first = given.get(keyword.image);
      if (first) {
        this.diagnostics.push(
          syntaxError(
            'PB1060',
            `\`${keyword.image}\` is given twice in one \`email\``,
            this.expr.span(keyword),
            `list every address after one \`${keyword.image}\`, separated by commas`,
          ),
        );
        continue;
      }
      given.set(keyword.image, keyword);
      if (keyword.image === 'from') {
        const sender = this.sender(child(clause, 'sender'));
        if (sender && step) step.from = sender;
        else complete = false;
        continue;
      }
      const list = this.recipientList(child(clause, 'recipients'));
      if (!list) complete = false;
      else if (step) step[keyword.image === 'cc' ? 'cc' : 'bcc'] = list;
    }
    return complete ? step : undefined;
  }

  private recipientList(node: RecipientsCstNode | undefined): Recipient[] | undefined {
    if (!node) return undefined;
    const list: Recipient[] = [];
    for (const r of childNodes(node, 'recipient')) {
      const recipient = this.recipient(r);
      if (!recipient) return undefined;
      list.push(recipient);
    }
    return list.length > 0 ? list : undefined;
  }

  /** A sender is a recipient's field or string (the grammar gives it no `role`). */
  private sender(node: SenderCstNode | undefined): Sender | undefined {
    const r = this.recipient(node as RecipientCstNode | undefined);
    if (r?.kind === 'field') return r;
    return r?.kind === 'address' ? { kind: 'literal', value: r.address, span: r.span } : undefined;
  }

  private task(line: Line, node: TaskStepCstNode): Step | undefined {
    const asks: AskDecl[] = [];
    if (this.checkBlock(line, 'optional') && line.block) {
      for (const askLine of this.lines(line.block)) {
        const content = askLine.content;
        if (content.name !== 'askLine') {
          this.misplaced('PB1018', askLine, "a task's block holds only `ask` lines");
          continue;
        }
        this.checkBlock(askLine, 'none');
        const ask = this.ask(content, askLine.span);
        if (ask) asks.push(ask);
      }
    }
    const title = this.text(token(node, 'StringLit'));
    const assignee = this.recipient(child(node, 'recipient'));
    const dueNode = child(node, 'duration');
    const due = dueNode && this.expr.duration(dueNode);
    const name = this.ident(token(node, 'Name'));
    if (!title || !assignee || (dueNode && !due) || (token(node, 'As') && !name)) return undefined;
    return { kind: 'task', title, assignee, ...(due && { due }), ...(name && { name }), asks, span: line.span };
  }

  private ask(node: AskLineCstNode, span: Span): AskDecl | undefined {
    const name = this.ident(token(node, 'Word'));
    const question = this.stringLit(token(node, 'StringLit'));
    const type = this.askType(child(node, 'fieldType'));
    const optional = token(node, 'Optional');
    const defaultNode = child(node, 'atom');
    const value = defaultNode && this.literalDefault(this.expr.atomExpr(defaultNode), 'a question');
    if (!name || !question || !type || (defaultNode && !value)) return undefined;
    return { name, question, type, ...(optional && { optional: { span: this.expr.span(optional) } }), ...(value && { default: value }), span };
  }

  /** `default` (of an ask or a parameter) takes a literal: it is data, never computed from the run. */
  private literalDefault(value: Expr | undefined, what: 'a question' | 'a parameter'): LiteralExpr | undefined {
    if (!value) return undefined;
    if (value.kind === 'string' || value.kind === 'number' || value.kind === 'date' || value.kind === 'bool' || value.kind === 'word') return value;
    this.diagnostics.push(
      syntaxError(
        'PB1075',
        `the \`default\` of ${what} must be a literal`,
        value.span,
        'write a value such as `10`, `"none"`, `yes`, `2026-06-30` or a `one of` value',
      ),
    );
    return undefined;
  }

  private askType(node: FieldTypeCstNode | undefined): AskType | undefined {
    const type = this.fieldType(node);
    if (!type || type.kind === 'oneOf') return type;
    if (type.kind === 'list') {
      this.diagnostics.push(
        syntaxError('PB1023', 'a question cannot take a list', type.span, 'a question is `yes/no`, `text`, `number`, `date` or `one of a, b, c`'),
      );
      return undefined;
    }
    if (type.name === 'yes/no' || type.name === 'text' || type.name === 'number' || type.name === 'date')
      return { kind: 'scalar', name: type.name, span: type.span };
    this.diagnostics.push(
      syntaxError('PB1023', `\`${type.name}\` is not a question type`, type.span, 'a question is `yes/no`, `text`, `number`, `date` or `one of a, b, c`'),
    );
    return undefined;
  }

  private wait(line: Line, node: WaitStepCstNode): Step | undefined {
    const span = line.span;
    if (token(node, 'Until')) {
      this.checkBlock(line, 'none');
      const at = this.expr.expression(child(node, 'expression'));
      return at && { kind: 'waitUntil', at, span };
    }
    if (!token(node, 'For')) {
      this.checkBlock(line, 'none');
      const duration = this.expr.duration(child(node, 'duration'));
      return duration && { kind: 'wait', duration, span };
    }
    const anyOf = token(node, 'Any') !== undefined;
    let step: WaitForStep | undefined = this.waitFor(node, span);
    const rungs: Rung[] = [];
    let onTimeout: Block | undefined;
    if (anyOf) {
      const of = this.checkBlock(line, 'required') && line.block ? this.anyOfWaitables(line.block) : [];
      if (line.block && of.length === 0) {
        this.diagnostics.push(
          syntaxError(
            'PB1076',
            '`wait for any of` lists no waitable',
            line.span,
            'list one per line in its block: `event "<name>"`, `task <name>` or a condition',
          ),
        );
      }
      step = step && of.length > 0 ? { ...step, target: { kind: 'anyOf', of, span: spanFrom(of[0]!.span, of[of.length - 1]!.span) } } : undefined;
    }
    if ((anyOf || this.checkBlock(line, 'optional')) && line.block) {
      for (const clause of this.lines(line.block)) {
        const content = clause.content;
        if (content.name === 'waitable') continue;
        if (content.name !== 'afterLine' && content.name !== 'onTimeoutLine') {
          const holds = anyOf ? 'waitables, `after <duration>:` and `on timeout:` lines' : 'only `after <duration>:` and `on timeout:` lines';
          this.misplaced('PB1018', clause, `a \`${anyOf ? 'wait for any of' : 'wait for'}\` block holds ${holds}`);
          continue;
        }
        const body = this.blockSteps(clause, 'required');
        if (content.name === 'onTimeoutLine') {
          if (onTimeout) this.misplaced('PB1018', clause, 'a `wait for` has at most one `on timeout:` block');
          else onTimeout = { body, span: clause.span };
          continue;
        }
        const after = this.expr.duration(child(content, 'duration'));
        if (after) rungs.push({ after, body, span: clause.span });
      }
    }
    return step && { ...step, rungs, ...(onTimeout && { onTimeout }) };
  }

  /** `wait for any of` has no target on its line: `wait()` sets it from the block. */
  private waitFor(node: WaitStepCstNode, span: Span): WaitForStep | undefined {
    const anyOf = token(node, 'Any') !== undefined;
    const target: Waitable | undefined = anyOf ? { kind: 'anyOf', of: [], span } : this.waitable(child(node, 'waitable'));
    const upToNode = child(node, 'duration');
    const upTo = upToNode && this.expr.duration(upToNode);
    if (!target || (upToNode && !upTo)) return undefined;
    return { kind: 'waitFor', target, ...(upTo && { upTo }), rungs: [], span };
  }

  /**
   * The waitable lines of a `wait for any of` block, in order. They come before its `after`
   * and `on timeout` lines, and neither open a block nor end in `:`.
   */
  private anyOfWaitables(block: BlockCstNode): SingleWaitable[] {
    const lines = this.lines(block);
    const firstClause = lines.findIndex((l) => l.content.name !== 'waitable');
    const of: SingleWaitable[] = [];
    lines.forEach((line, i) => {
      if (line.content.name !== 'waitable') return;
      this.checkBlock(line, 'none');
      if (firstClause >= 0 && i > firstClause) {
        this.misplaced('PB1018', line, 'list the waitables of `wait for any of` before its `after` and `on timeout` lines');
        return;
      }
      const built = this.waitable(line.content);
      if (built) of.push(built);
    });
    return of;
  }

  private waitable(node: WaitableCstNode | undefined): SingleWaitable | undefined {
    const span = node && nodeSpan(node, this.file);
    if (!node || !span) return undefined;
    if (token(node, 'Event')) {
      const name = this.stringLit(token(node, 'StringLit'));
      const as = this.ident(token(node, 'Name'));
      if (token(node, 'As') && !as) return undefined;
      const whereNode = child(node, 'whereClause');
      const where = whereNode && this.expr.expression(child(whereNode, 'expression'));
      if (whereNode && !where) return undefined;
      return name && { kind: 'event', name, ...(as && { as }), ...(where && { where }), span };
    }
    if (token(node, 'Task')) {
      const task = this.ident(token(node, 'Name'));
      return task && { kind: 'task', task, span };
    }
    const condition = this.expr.expression(child(node, 'expression'));
    return condition && { kind: 'condition', condition, span };
  }

  /** Attaches `else if` / `else` to the `if` right before it. */
  private elseBranch(line: Line, node: ElseLineCstNode, target: IfStep | undefined): void {
    const body = this.blockSteps(line, 'required');
    const conditionNode = child(node, 'expression');
    const words = conditionNode ? '`else if`' : '`else`';
    if (!target) {
      this.misplaced('PB1018', line, `${words} without a matching \`if\` right before it`);
      return;
    }
    if (!conditionNode) {
      target.else = { body, span: line.span };
      return;
    }
    const condition = this.expr.expression(conditionNode);
    if (condition) target.branches.push({ condition, body, span: line.span });
  }

  private unknownStep(line: Line, node: UnknownLineCstNode): void {
    this.checkBlock(line, 'optional');
    const first = token(node, 'NotLineStart');
    if (!first) return;
    const suggestion = first.tokenType.name === 'Identifier' ? closestName(first.image, lineStartWords) : undefined;
    let message: string;
    if (first.tokenType.name === 'Identifier') {
      message = `unknown step ${quoteSource(first.image)}${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`;
    } else if (first.tokenType.name === 'Playbook' || first.tokenType.name === 'Account') {
      message = `expected a step, found ${describeToken(first)}; a declaration starts at column 1`;
    } else {
      message = `expected a step, found ${describeToken(first)}`;
    }
    this.diagnostics.push(syntaxError('PB1019', message, this.expr.span(first)));
  }

  private headerItem(line: Line): HeaderItem | undefined {
    const node = line.content;
    const span = line.span;
    switch (node.name) {
      case 'ownerLine':
      case 'descriptionLine': {
        const value = this.stringLit(token(node, 'StringLit'));
        return value && { kind: node.name === 'ownerLine' ? 'owner' : 'description', value, span };
      }
      case 'triggerLine': {
        const trigger = this.trigger(node, span);
        return trigger && { kind: 'trigger', trigger, span };
      }
      case 'calendarRefLine': {
        const id = this.ident(token(node, 'Name'));
        return id && { kind: 'calendar', id, span };
      }
      case 'sendWindowLine': {
        const [from, to] = this.timeRange(node);
        return from && to && { kind: 'sendWindow', from, to, span };
      }
      case 'exitWhenLine': {
        const condition = this.expr.expression(child(node, 'expression'));
        return condition && { kind: 'exitWhen', condition, span };
      }
      case 'runKeyLine':
        return this.runKey(node, span);
      case 'throttleLine':
        return this.throttle(node, span);
      case 'parametersLine': {
        const parameters: ParameterDecl[] = [];
        for (const decl of childNodes(node, 'parameterDecl')) {
          const name = this.ident(token(decl, 'Word'));
          const t = token(decl, 'ScalarType') ?? token(decl, 'YesNo');
          const declSpan = nodeSpan(decl, this.file);
          if (!name || !t || t.isInsertedInRecovery || !declSpan) return undefined;
          const typeName = t.image as ParameterDecl['type']['name'];
          const defaultNode = child(decl, 'atom');
          const value = defaultNode && this.literalDefault(this.expr.atomExpr(defaultNode), 'a parameter');
          if (defaultNode && !value) return undefined;
          parameters.push({ name, type: { kind: 'scalar', name: typeName, span: this.expr.span(t) }, ...(value && { default: value }), span: declSpan });
        }
        return { kind: 'parameters', parameters, span };
      }
      case 'goalLine': {
        const goal = this.goal(line, node);
        return goal && { kind: 'goal', goal, span };
      }
      default:
        return undefined;
    }
  }

  /** `goal <id> ["<title>"] target <n>%:` and the one milestone line of its block. */
  private goal(line: Line, node: GoalLineCstNode): GoalDecl | undefined {
    const [first, ...more] = this.checkBlock(line, 'required') && line.block ? this.lines(line.block) : [];
    for (const extra of more) {
      this.checkBlock(extra, 'none');
      this.diagnostics.push(
        syntaxError(
          'PB1077',
          "a goal's block holds one milestone line",
          extra.span,
          'give each milestone a goal of its own, e.g. `goal training …` then its line',
        ),
      );
    }
    if (first) this.checkBlock(first, 'none');
    const id = this.ident(token(node, 'Name'));
    const title = this.stringLit(token(node, 'StringLit'));
    const percent = token(node, 'PercentLit');
    if (!id || !percent || percent.isInsertedInRecovery || first?.content.name !== 'goalMilestone') return undefined;
    const target = { value: Number(percent.image.slice(0, -1)), span: this.expr.span(percent) };
    const content = first.content as GoalMilestoneCstNode;
    const milestone = this.goalPoint(child(content, 'milestone'), 'milestone');
    const within = this.expr.duration(child(content, 'duration'));
    const anchorNode = child(content, 'anchor');
    const anchor = anchorNode && this.goalPoint(anchorNode, 'anchor');
    if (!milestone || !within || (anchorNode && !anchor)) return undefined;
    // goalPoint reported the wrong forms (PB1078) and gave nothing for them.
    return {
      id,
      ...(title && { title }),
      target,
      milestone: milestone as GoalMilestone,
      within,
      ...(anchor && { anchor: anchor as GoalAnchor }),
      span: line.span,
    };
  }

  /**
   * A moment of a goal line: a milestone (`event`, `task <name> done`, `stage`, a condition) or
   * an anchor (`event`, `task <name> created`, `stage`); the wrong form for its place is PB1078.
   */
  private goalPoint(node: GoalPointCstNode | undefined, role: 'milestone' | 'anchor'): GoalMilestone | GoalAnchor | undefined {
    const span = node && nodeSpan(node, this.file);
    if (!node || !span) return undefined;
    const wrong = (message: string, hint: string): undefined => {
      this.diagnostics.push(syntaxError('PB1078', message, span, hint));
      return undefined;
    };
    if (token(node, 'Event')) {
      const name = this.stringLit(token(node, 'StringLit'));
      return name && { kind: 'event', name, span };
    }
    if (token(node, 'Task')) {
      const task = this.ident(token(node, 'Name'));
      const done = token(node, 'Done');
      if (!task || (!done && !token(node, 'Created'))) return undefined;
      if (role === 'milestone' && !done)
        return wrong(
          `a goal's milestone is \`task ${task.name} done\`, not \`created\``,
          `to count from the task's creation, write \`of task ${task.name} created\` after \`within\``,
        );
      if (role === 'anchor' && done)
        return wrong(`a goal counts from \`task ${task.name} created\`, not \`done\``, 'a completed task is a milestone: put it before `within`');
      return done ? { kind: 'taskDone', task, span } : { kind: 'taskCreated', task, span };
    }
    if (token(node, 'Stage')) {
      const stage = this.ident(token(node, 'Name'));
      return stage && { kind: 'stage', stage, span };
    }
    if (role === 'anchor')
      return wrong('a goal counts from `start`, a `stage`, an `event` or a `task … created`, not a condition', 'write e.g. `of event "kickoff.held"`');
    const condition = this.expr.expression(child(node, 'expression'));
    return condition && { kind: 'condition', condition, span };
  }

  private trigger(node: TriggerLineCstNode, span: Span): Trigger | undefined {
    if (token(node, 'Manual')) return { kind: 'manual', span };
    const whereNode = child(node, 'whereClause');
    const where = whereNode && this.expr.expression(child(whereNode, 'expression'));
    if (whereNode && !where) return undefined;
    const guards = this.triggerGuards(childNodes(node, 'triggerGuard'));
    if (!guards) return undefined;
    if (token(node, 'On')) {
      const name = this.stringLit(token(node, 'StringLit'));
      const asName = token(node, 'As') && this.ident(token(node, 'Name'));
      return name && { kind: 'event', name, ...(asName && { as: asName }), ...(where && { where }), ...guards, span };
    }
    const offsetNode = child(node, 'duration');
    if (offsetNode) {
      const offset = this.expr.duration(offsetNode);
      const direction = this.expr.direction(child(node, 'direction'));
      const field = this.expr.fieldRef(child(node, 'fieldRef'));
      return offset && direction && field && { kind: 'relative', offset, direction, field, ...(where && { where }), ...guards, span };
    }
    const cadenceNode = child(node, 'cadence');
    if (cadenceNode) {
      const cadence = this.cadence(cadenceNode);
      return cadence && { kind: 'every', ...cadence, ...(where && { where }), ...guards, span };
    }
    const condition = this.expr.expression(child(node, 'expression'));
    return condition && { kind: 'when', condition, ...guards, span };
  }

  /** `every [N] week|month|quarter [on first business day|day N|<weekday>]`. */
  private cadence(node: CadenceCstNode): { period: Cadence; on?: CadenceDay } | undefined {
    const span = nodeSpan(node, this.file);
    const unitNode = child(node, 'durationUnit');
    const unitSpan = unitNode && nodeSpan(unitNode, this.file);
    if (!span || !unitNode || !unitSpan) return undefined;
    const unit = durationUnit(unitNode);
    if (unit !== 'week' && unit !== 'month' && unit !== 'quarter') {
      if (unit !== undefined) {
        this.diagnostics.push(
          syntaxError(
            'PB1040',
            `a cadence repeats by weeks, months or quarters, not by ${unit}s`,
            unitSpan,
            'e.g. `every month on day 1` or `every 2 weeks on monday`',
          ),
        );
      }
      return undefined;
    }
    const amountToken = token(node, 'NumberLit');
    const amount = amountToken ? this.count(amountToken) : { value: 1, span: unitSpan };
    if (!amount) return undefined;
    const period: Cadence = { amount: amount.value, unit, span: spanFrom(amountToken ? amount.span : unitSpan, unitSpan) };
    if (!token(node, 'On')) return { period };
    const first = token(node, 'First');
    const dayNumber = token(node, 'dayOfMonth');
    const weekday = token(node, 'Weekday');
    const last = first ? tokens(node, 'Day')[0] : (dayNumber ?? weekday);
    if (!last || last.isInsertedInRecovery) return undefined;
    const onSpan = spanFrom(this.expr.span(first ?? tokens(node, 'Day')[0] ?? last), this.expr.span(last));
    if (first) return { period, on: { kind: 'firstBusinessDay', span: onSpan } };
    if (weekday) return { period, on: { kind: 'weekday', weekday: weekday.image as Weekday, span: onSpan } };
    const day = dayNumber && this.count(dayNumber);
    return day && { period, on: { kind: 'day', day: day.value, span: onSpan } };
  }

  /** `one run per account [and <ref>]...`: the key starts with the account. */
  private runKey(node: RunKeyLineCstNode, span: Span): HeaderItem | undefined {
    const root = token(node, 'Name');
    if (!root || root.isInsertedInRecovery) return undefined;
    if (root.image !== 'account') {
      this.diagnostics.push(
        syntaxError(
          'PB1041',
          `a run key starts with \`account\`, found ${quoteSource(root.image)}`,
          this.expr.span(root),
          'write `one run per account and <value>`, e.g. `one run per account and ticket.id`',
        ),
      );
      return undefined;
    }
    const parts = childNodes(node, 'fieldRef').map((ref) => this.expr.fieldRef(ref));
    if (parts.some((p) => p === undefined)) return undefined;
    return { kind: 'runKey', parts: parts as NonNullable<(typeof parts)[number]>[], span };
  }

  /** The `<name>: <expr>` items of a `with` list; undefined when one is incomplete. */
  private withFields(list: WithListCstNode | undefined): NamedValue[] | undefined {
    const fields: NamedValue[] = [];
    for (const f of list ? childNodes(list, 'withField') : []) {
      const name = this.ident(token(f, 'Word'));
      const value = this.expr.expression(child(f, 'expression'));
      const span = nodeSpan(f, this.file);
      if (!name || !value || !span) return undefined;
      fields.push({ name, value, span });
    }
    return fields;
  }

  /** `start at most N per day`. */
  private throttle(node: ThrottleLineCstNode, span: Span): HeaderItem | undefined {
    const amount = token(node, 'NumberLit');
    const unitNode = child(node, 'durationUnit');
    const unitSpan = unitNode && nodeSpan(unitNode, this.file);
    if (!amount || !unitNode || !unitSpan) return undefined;
    const unit = durationUnit(unitNode);
    if (unit !== 'day') {
      if (unit !== undefined) {
        this.diagnostics.push(syntaxError('PB1042', `starts are counted per day, not per ${unit}`, unitSpan, 'write `start at most N per day`'));
      }
      return undefined;
    }
    const perDay = this.count(amount);
    return perDay && { kind: 'throttle', perDay, span };
  }

  /** The guards of a trigger, each at most once; undefined when one is incomplete. */
  private triggerGuards(nodes: TriggerGuardCstNode[]): TriggerGuards | undefined {
    const guards: TriggerGuards = {};
    for (const node of nodes) {
      const span = nodeSpan(node, this.file);
      if (!span) return undefined;
      const key = token(node, 'Unless') ? 'unlessRunning' : 'atMostOncePer';
      if (guards[key]) {
        const words = key === 'unlessRunning' ? 'unless running' : 'at most once per';
        this.diagnostics.push(syntaxError('PB1025', `\`${words}\` is given twice in this trigger`, span, 'keep one'));
        continue;
      }
      if (key === 'unlessRunning') {
        const id = this.ident(token(node, 'Name'));
        if (!id) return undefined;
        guards.unlessRunning = id;
      } else {
        const duration = this.expr.duration(child(node, 'duration'));
        if (!duration) return undefined;
        guards.atMostOncePer = duration;
      }
    }
    return guards;
  }

  // -------------------------------------------------------------------------------------
  // Block structure

  /** The steps of the block a line owns, after checking its `:` and block. */
  private blockSteps(line: Line, rule: BlockRule): Step[] {
    return this.checkBlock(line, rule) && line.block ? this.steps(this.lines(line.block)) : [];
  }

  /**
   * Reports a missing or unexpected `:` or block. Returns whether the line's block (if any)
   * should be read: a block under a line that owns none is skipped, not parsed as steps.
   */
  private checkBlock(line: Line, rule: BlockRule): boolean {
    const what = () => `\`${firstWord(line)}\``;
    if (rule === 'none') {
      if (line.colon) {
        this.diagnostics.push(syntaxError('PB1022', `unexpected \`:\`: ${what()} does not open a block`, this.expr.span(line.colon), 'remove the `:`'));
      }
      if (line.block) {
        const first = child(line.block, 'line');
        const span = (first && nodeSpan(first, this.file)) ?? line.span;
        this.diagnostics.push(
          syntaxError('PB1012', `unexpected indentation: ${what()} does not open a block`, span, 'indent this line like the line above it'),
        );
      }
      return false;
    }
    if (line.block && !line.colon) {
      const end = line.newline ? this.expr.span(line.newline) : line.span;
      this.diagnostics.push(syntaxError('PB1011', `missing \`:\` before the indented block of ${what()}`, end, 'add `:` at the end of the line'));
    }
    if (!line.block && (rule === 'required' || line.colon)) this.missingBlock(line.span, what());
    return true;
  }

  private missingBlock(span: Span, what: string): void {
    this.diagnostics.push(syntaxError('PB1013', `expected an indented block after ${what}`, span, 'indent the lines that belong to it'));
  }

  /** The `:` and NEWLINE of a line (`lineEnd`); reports words left over before the NEWLINE. */
  private lineEnd(end: LineEndCstNode | undefined): { colon: IToken | undefined; newline: IToken | undefined } | undefined {
    if (!end) return undefined;
    const extra = token(end, 'LineContent');
    if (extra) this.diagnostics.push(syntaxError('PB1010', `expected end of line, found ${describeToken(extra)}`, this.expr.span(extra)));
    return { colon: token(end, 'Colon'), newline: token(end, 'Newline') };
  }

  private noColon(end: LineEndCstNode | undefined, what: string): void {
    const colon = this.lineEnd(end)?.colon;
    if (colon) this.diagnostics.push(syntaxError('PB1022', `unexpected \`:\`: ${what} does not open a block`, this.expr.span(colon), 'remove the `:`'));
  }

  private noBlock(block: CstNode | undefined, what: string): void {
    const span = block && nodeSpan(block, this.file);
    if (span)
      this.diagnostics.push(syntaxError('PB1012', `unexpected indentation: ${what} does not open a block`, span, 'indent this line like the line above it'));
  }

  private misplaced(code: 'PB1017' | 'PB1018', line: Line, message: string): void {
    this.diagnostics.push(syntaxError(code, message, line.span));
  }

  /** `ignoring contact policy`, or reported (PB1073) when its words are other ones. */
  private ignoringPolicy(node: IgnoringPolicyCstNode): { span: Span } | undefined {
    const keyword = token(node, 'Ignoring');
    const subject = token(node, 'subject');
    const what = token(node, 'what');
    if (!keyword || !subject || !what || what.isInsertedInRecovery) return undefined;
    const span = spanFrom(this.expr.span(keyword), this.expr.span(what));
    if (subject.image === 'contact' && what.image === 'policy') return { span };
    this.diagnostics.push(
      syntaxError(
        'PB1073',
        `expected \`ignoring contact policy\`, found ${quoteSource(`ignoring ${subject.image} ${what.image}`)}`,
        span,
        'only the contact policy can be ignored, by a transactional email',
      ),
    );
    return undefined;
  }

  // -------------------------------------------------------------------------------------
  // Leaves

  private ident(t: IToken | undefined): Ident | undefined {
    return this.expr.ident(t);
  }

  private stringLit(t: IToken | undefined): StringLit | undefined {
    return t && { value: unquote(t), span: this.expr.span(t) };
  }

  private text(t: IToken | undefined): TextLit | undefined {
    return t && textLiteral(t, this.expr);
  }

  private count(t: IToken): { value: number; span: Span } | undefined {
    const value = Number(t.image);
    if (Number.isInteger(value) && value >= 1) return { value, span: this.expr.span(t) };
    this.diagnostics.push(syntaxError('PB1016', `expected a whole number of times of at least 1, found ${quoteSource(t.image)}`, this.expr.span(t)));
    return undefined;
  }

  private recipient(node: RecipientCstNode | undefined): Recipient | undefined {
    const span = node && nodeSpan(node, this.file);
    if (!node || !span) return undefined;
    const ref = child(node, 'fieldRef');
    if (ref) {
      const field = this.expr.fieldRef(ref);
      return field && { kind: 'field', field, span };
    }
    const value = this.stringLit(token(node, 'StringLit'));
    if (!value) return undefined;
    return token(node, 'Role') ? { kind: 'role', name: value, span } : { kind: 'address', address: value, span };
  }
}

const cappedActions: readonly CappedAction[] = ['defer', 'skip'];

/** The keyword(s) a line starts with, for messages: `else if`, `on timeout`, `wait for`. */
function firstWord(line: Line): string {
  const words: IToken[] = [];
  const content: CstNode = line.content;
  for (const elements of Object.values(content.children)) {
    for (const e of elements) if ('image' in e && !e.isInsertedInRecovery) words.push(e);
  }
  words.sort((a, b) => a.startOffset - b.startOffset);
  const [first, second] = words;
  const pairs = new Set(['else if', 'on timeout', 'wait for', 'wait until']);
  const pair = first && second ? `${first.image} ${second.image}` : '';
  return pairs.has(pair) ? pair : (first?.image ?? '');
}
