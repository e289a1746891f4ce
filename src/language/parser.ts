/**
 * The grammar of the playbook language as a chevrotain CstParser. The class holds only
 * rules; `build-ast.ts` turns its CST into the typed AST, reading it through the node types
 * generated from these rules (`cst.generated.ts`). A token or subrule the builder tells
 * apart by position gets a `LABEL` (`from`/`to` of a time range), its key in the CST.
 *
 * The grammar is line-oriented: every line of a block is `lineContent [:] NEWLINE [block]`,
 * whatever its kind. Which lines may own a block, need a `:`, or appear in which block
 * (`else` after `if`, `after` inside `wait for`, `ask` inside `task`) is checked by the AST
 * builder, which gives better messages than a parse error and keeps recovery line-local:
 * a broken line re-syncs at its own NEWLINE. Lines starting with an unknown word parse as
 * `unknown*Line` rules so the builder can report them ("unknown step `emial`").
 */
import { CstParser, createTokenInstance, EOF, tokenMatcher, type CstNode, type IToken, type TokenType } from './chevrotain.js';
import { lookaheadPaths } from './lookahead.generated.js';
import { pathLookahead } from './lookahead.js';
import { syntaxErrorMessages } from './syntax-messages.js';
import * as t from './tokens.js';

const layoutTokens: ReadonlySet<TokenType> = new Set([t.Newline, t.Indent, t.Dedent]);

export interface ParserOptions {
  /**
   * Run chevrotain's grammar validations (ambiguities, left recursion, ...) in the
   * self-analysis. They cost more than the rest of it and only find mistakes in the grammar
   * itself, so the shared instance skips them and a test builds one that runs them.
   */
  validate: boolean;
}

/** Tokens of lookahead the parser's decisions look at, at most. */
export const MAX_LOOKAHEAD = 2;

/** Rules whose one alternation takes its first alternative whose GATE holds, without looking at tokens. */
const GATE_DECIDED_RULES: ReadonlySet<string> = new Set(['line']);

export class PlaybookParser extends CstParser {
  constructor({ validate }: ParserOptions) {
    super(t.parserTokens, {
      recoveryEnabled: true,
      maxLookahead: MAX_LOOKAHEAD,
      lookaheadStrategy: pathLookahead(lookaheadPaths, [...t.parserTokens, EOF], MAX_LOOKAHEAD, GATE_DECIDED_RULES),
      nodeLocationTracking: 'full',
      errorMessageProvider: syntaxErrorMessages,
      skipValidations: !validate,
    });
    this.performSelfAnalysis();
  }

  // -------------------------------------------------------------------------------------
  // Files and declarations

  file = this.RULE('file', () => {
    this.MANY(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.playbookDecl) },
        { ALT: () => this.SUBRULE(this.calendarDecl) },
        { ALT: () => this.SUBRULE(this.accountFieldsDecl) },
        { ALT: () => this.SUBRULE(this.eventsDecl) },
        { ALT: () => this.SUBRULE(this.contactPolicyDecl) },
        { ALT: () => this.SUBRULE(this.coverageDecl) },
        { ALT: () => this.SUBRULE(this.unknownDeclaration) },
      ]),
    );
  });

  playbookDecl = this.RULE('playbookDecl', () => {
    this.SUBRULE(this.playbookHead);
    this.SUBRULE(this.lineEnd);
    this.OPTION(() => this.SUBRULE(this.block));
  });

  playbookHead = this.RULE('playbookHead', () => {
    this.CONSUME(t.Playbook);
    this.CONSUME(t.Name);
    this.OPTION(() => this.CONSUME(t.StringLit));
  });

  calendarDecl = this.RULE('calendarDecl', () => {
    this.SUBRULE(this.calendarHead);
    this.SUBRULE(this.lineEnd);
    this.OPTION(() => this.SUBRULE(this.calendarBlock));
  });

  calendarHead = this.RULE('calendarHead', () => {
    this.CONSUME(t.Calendar);
    this.CONSUME(t.Name);
    this.OPTION(() => this.CONSUME(t.StringLit));
  });

  accountFieldsDecl = this.RULE('accountFieldsDecl', () => {
    this.SUBRULE(this.accountFieldsHead);
    this.SUBRULE(this.lineEnd);
    this.OPTION(() => this.SUBRULE(this.fieldsBlock));
  });

  accountFieldsHead = this.RULE('accountFieldsHead', () => {
    this.CONSUME(t.Account);
    this.CONSUME(t.Fields);
  });

  eventsDecl = this.RULE('eventsDecl', () => {
    this.CONSUME(t.Events);
    this.SUBRULE(this.lineEnd);
    this.OPTION(() => this.SUBRULE(this.eventsBlock));
  });

  /** `contact policy`: its two words are checked by the AST builder (did you mean). */
  contactPolicyDecl = this.RULE('contactPolicyDecl', () => {
    this.CONSUME(t.ScalarType);
    this.CONSUME(t.Name);
    this.SUBRULE(this.lineEnd);
    this.OPTION(() => this.SUBRULE(this.policyBlock));
  });

  /** `coverage <id> ["<title>"] target <n>%:` and its block (`coverageBlock`). */
  coverageDecl = this.RULE('coverageDecl', () => {
    this.CONSUME(t.Coverage);
    this.CONSUME(t.Name);
    this.OPTION(() => this.CONSUME(t.StringLit));
    this.CONSUME(t.Target);
    this.CONSUME(t.PercentLit);
    this.SUBRULE(this.lineEnd);
    this.OPTION2(() => this.SUBRULE(this.coverageBlock));
  });

  unknownDeclaration = this.RULE('unknownDeclaration', () => {
    this.CONSUME(t.NotDeclarationStart);
    this.MANY({ DEF: () => this.CONSUME(t.LineContent), MAX_LOOKAHEAD: 1 }); // see `lineEnd`
    this.SUBRULE(this.lineEnd);
    this.OPTION(() => this.SUBRULE(this.block));
  });

  // -------------------------------------------------------------------------------------
  // Account fields

  fieldsBlock = this.RULE('fieldsBlock', () => {
    this.CONSUME(t.Indent);
    this.AT_LEAST_ONE(() => this.SUBRULE(this.fieldLine));
    this.CONSUME(t.Dedent);
  });

  fieldLine = this.RULE('fieldLine', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.fieldDecl) }, { ALT: () => this.SUBRULE(this.unknownFieldLine) }]);
    this.SUBRULE(this.lineEnd);
    this.OPTION(() => this.SUBRULE(this.fieldsBlock));
  });

  fieldDecl = this.RULE('fieldDecl', () => {
    this.CONSUME(t.Word);
    this.CONSUME(t.Colon);
    this.SUBRULE(this.fieldType);
  });

  unknownFieldLine = this.RULE('unknownFieldLine', () => {
    this.CONSUME(t.NotFieldStart);
    this.MANY(() => this.CONSUME(t.LineContent));
  });

  fieldType = this.RULE('fieldType', () => {
    this.OR([
      { ALT: () => this.CONSUME(t.ScalarType) },
      { ALT: () => this.CONSUME(t.Timezone) },
      { ALT: () => this.CONSUME(t.YesNo) },
      { ALT: () => this.SUBRULE(this.oneOf) },
      { ALT: () => this.SUBRULE(this.listOf) },
    ]);
  });

  /** `list of contact`: a list of values of one scalar type. */
  listOf = this.RULE('listOf', () => {
    this.CONSUME(t.List);
    this.CONSUME(t.Of);
    this.OR([{ ALT: () => this.CONSUME(t.ScalarType) }, { ALT: () => this.CONSUME(t.Timezone) }, { ALT: () => this.CONSUME(t.YesNo) }]);
  });

  oneOf = this.RULE('oneOf', () => {
    this.CONSUME(t.One);
    this.CONSUME(t.Of);
    this.CONSUME(t.Word);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.CONSUME2(t.Word);
    });
  });

  // -------------------------------------------------------------------------------------
  // Contact policy: `at most 2 emails per contact per 5 business days`, `when capped defer`.
  // The words the lines need (`emails`, `contact`, `capped`, `defer`) are names here and
  // checked by the AST builder, which can suggest the word meant.

  policyBlock = this.RULE('policyBlock', () => {
    this.CONSUME(t.Indent);
    this.AT_LEAST_ONE(() => this.SUBRULE(this.policyLine));
    this.CONSUME(t.Dedent);
  });

  policyLine = this.RULE('policyLine', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.capLine) }, { ALT: () => this.SUBRULE(this.cappedLine) }, { ALT: () => this.SUBRULE(this.unknownPolicyLine) }]);
    this.SUBRULE(this.lineEnd);
    this.OPTION(() => this.SUBRULE(this.policyBlock));
  });

  capLine = this.RULE('capLine', () => {
    this.CONSUME(t.At);
    this.CONSUME(t.Most);
    this.CONSUME(t.NumberLit, { LABEL: 'count' });
    this.CONSUME(t.Name, { LABEL: 'unit' });
    this.CONSUME(t.Per);
    this.CONSUME2(t.Name, { LABEL: 'subject' });
    this.CONSUME2(t.Per);
    this.OPTION(() => this.CONSUME2(t.NumberLit, { LABEL: 'amount' }));
    this.SUBRULE(this.durationUnit);
  });

  cappedLine = this.RULE('cappedLine', () => {
    this.CONSUME(t.When);
    this.CONSUME(t.Name, { LABEL: 'condition' });
    this.CONSUME2(t.Name, { LABEL: 'action' });
  });

  unknownPolicyLine = this.RULE('unknownPolicyLine', () => {
    this.CONSUME(t.NotPolicyStart);
    this.MANY(() => this.CONSUME(t.LineContent));
  });

  // -------------------------------------------------------------------------------------
  // Coverage: `accounts where <condition>` and `have run <playbook>`. Their first words are
  // names here and checked by the AST builder, like the contact policy's.

  coverageBlock = this.RULE('coverageBlock', () => {
    this.CONSUME(t.Indent);
    this.AT_LEAST_ONE(() => this.SUBRULE(this.coverageLine));
    this.CONSUME(t.Dedent);
  });

  coverageLine = this.RULE('coverageLine', () => {
    this.OR({
      // Told apart by their second word; a line that has neither is the unknown one.
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { ALT: () => this.SUBRULE(this.populationLine) },
        { ALT: () => this.SUBRULE(this.coveredByLine) },
        { ALT: () => this.SUBRULE(this.unknownCoverageLine) },
      ],
    });
    this.SUBRULE(this.lineEnd);
    this.OPTION(() => this.SUBRULE(this.coverageBlock));
  });

  /** `accounts where <condition>` */
  populationLine = this.RULE('populationLine', () => {
    this.CONSUME(t.Name, { LABEL: 'subject' });
    this.CONSUME(t.Where);
    this.SUBRULE(this.expression);
  });

  /** `have run <playbook>` */
  coveredByLine = this.RULE('coveredByLine', () => {
    this.CONSUME(t.Name, { LABEL: 'verb' });
    this.CONSUME(t.Run);
    this.CONSUME2(t.Name, { LABEL: 'playbook' });
  });

  unknownCoverageLine = this.RULE('unknownCoverageLine', () => {
    this.CONSUME(t.LineContent);
    this.MANY(() => this.CONSUME2(t.LineContent));
  });

  // -------------------------------------------------------------------------------------
  // Events: `nps.responded: score number, priority one of low, high, comment text`

  eventsBlock = this.RULE('eventsBlock', () => {
    this.CONSUME(t.Indent);
    this.AT_LEAST_ONE(() => this.SUBRULE(this.eventLine));
    this.CONSUME(t.Dedent);
  });

  eventLine = this.RULE('eventLine', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.eventDecl) }, { ALT: () => this.SUBRULE(this.unknownFieldLine) }]);
    this.SUBRULE(this.lineEnd);
    this.OPTION(() => this.SUBRULE(this.eventsBlock));
  });

  /** A dotted event name, then its payload fields after `:`. */
  eventDecl = this.RULE('eventDecl', () => {
    this.CONSUME(t.Word);
    this.MANY(() => {
      this.CONSUME(t.Dot);
      this.CONSUME2(t.Word);
    });
    this.OPTION(() => {
      this.CONSUME(t.Colon);
      this.SUBRULE(this.payloadItem);
      this.MANY2(() => {
        this.CONSUME(t.Comma);
        this.SUBRULE2(this.payloadItem);
      });
    });
  });

  /**
   * `score number`, `priority one of low`, or a bare word. Commas separate both fields and
   * `one of` values, so a `one of` takes one value here and the AST builder adds each bare
   * word after it to its list.
   */
  payloadItem = this.RULE('payloadItem', () => {
    this.CONSUME(t.Word);
    this.OPTION(() =>
      this.OR([
        { ALT: () => this.CONSUME(t.ScalarType) },
        { ALT: () => this.CONSUME(t.Timezone) },
        { ALT: () => this.CONSUME(t.YesNo) },
        {
          ALT: () => {
            this.CONSUME(t.One);
            this.CONSUME(t.Of);
            this.CONSUME2(t.Word, { LABEL: 'value' });
          },
        },
        { ALT: () => this.SUBRULE(this.listOf) },
      ]),
    );
  });

  // -------------------------------------------------------------------------------------
  // Calendars

  calendarBlock = this.RULE('calendarBlock', () => {
    this.CONSUME(t.Indent);
    this.AT_LEAST_ONE(() => this.SUBRULE(this.calendarLine));
    this.CONSUME(t.Dedent);
  });

  calendarLine = this.RULE('calendarLine', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.timezoneItem) },
      { ALT: () => this.SUBRULE(this.workingItem) },
      { ALT: () => this.SUBRULE(this.holidaysItem) },
      { ALT: () => this.SUBRULE(this.holidayItem) },
      { ALT: () => this.SUBRULE(this.unknownCalendarLine) },
    ]);
    this.SUBRULE(this.lineEnd);
    this.OPTION(() => this.SUBRULE(this.calendarBlock));
  });

  timezoneItem = this.RULE('timezoneItem', () => {
    this.CONSUME(t.Timezone);
    this.SUBRULE(this.timezoneSource);
    this.MANY(() => {
      this.CONSUME(t.Or);
      this.SUBRULE2(this.timezoneSource);
    });
  });

  timezoneSource = this.RULE('timezoneSource', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.fieldRef) }, { ALT: () => this.CONSUME(t.StringLit) }]);
  });

  workingItem = this.RULE('workingItem', () => {
    this.CONSUME(t.Working);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.Day);
          this.SUBRULE(this.weekdays);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Hour);
          this.CONSUME(t.TimeLit, { LABEL: 'from' });
          this.CONSUME(t.To);
          this.CONSUME2(t.TimeLit, { LABEL: 'to' });
        },
      },
    ]);
  });

  weekdays = this.RULE('weekdays', () => {
    this.CONSUME(t.Weekday);
    this.OPTION(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(t.To);
            this.CONSUME2(t.Weekday);
          },
        },
        {
          ALT: () =>
            this.AT_LEAST_ONE(() => {
              this.CONSUME(t.Comma);
              this.CONSUME3(t.Weekday);
            }),
        },
      ]),
    );
  });

  holidaysItem = this.RULE('holidaysItem', () => {
    this.CONSUME(t.Holidays);
    this.SUBRULE(this.holidaysSource);
    this.MANY(() => {
      this.CONSUME(t.Or);
      this.SUBRULE2(this.holidaysSource);
    });
  });

  holidaysSource = this.RULE('holidaysSource', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.fieldRef) }, { ALT: () => this.CONSUME(t.StringLit) }]);
  });

  holidayItem = this.RULE('holidayItem', () => {
    this.CONSUME(t.Holiday);
    this.CONSUME(t.DateLit);
    this.OPTION(() => this.CONSUME(t.StringLit));
  });

  unknownCalendarLine = this.RULE('unknownCalendarLine', () => {
    this.CONSUME(t.NotCalendarStart);
    this.MANY(() => this.CONSUME(t.LineContent));
  });

  // -------------------------------------------------------------------------------------
  // Playbook bodies: header lines, steps and their clauses

  block = this.RULE('block', (kind?: BlockKind) => {
    this.CONSUME(t.Indent);
    this.AT_LEAST_ONE(() => this.SUBRULE(this.line, { ARGS: [kind] }));
    this.CONSUME(t.Dedent);
  });

  /** `kind`: the block of `wait for any of`, where a line may be a waitable, or of a `goal`, whose lines are milestones. */
  line = this.RULE('line', (kind?: BlockKind) => {
    let content: CstNode | undefined;
    // Decided by the gate alone (see GATE_DECIDED_RULES): a waitable condition and an unknown
    // line both start with a name, and token lookahead here would cost every line.
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        { GATE: () => kind === 'anyOf' && this.startsWaitable(), ALT: () => this.SUBRULE(this.waitable) },
        { GATE: () => kind === 'goal', ALT: () => this.SUBRULE(this.goalMilestone) },
        { ALT: () => (content = this.SUBRULE(this.lineContent)) },
      ],
    });
    this.SUBRULE(this.lineEnd);
    this.OPTION(() => this.SUBRULE(this.block, { ARGS: [blockKind(content)] }));
  });

  /**
   * In a `wait for any of` block, a line is a waitable unless it starts like a step or a
   * clause (`after`, `on timeout`): `event "…"`, `task <name>` (not `task "<title>"`) or a
   * condition.
   */
  private startsWaitable(): boolean {
    const first = this.LA(1);
    if (tokenMatcher(first, t.Task)) return !tokenMatcher(this.LA(2), t.StringLit);
    return tokenMatcher(first, t.NotLineStart);
  }

  /**
   * The end of every line: the `:` that opens a block, then NEWLINE. Tokens left over
   * before NEWLINE are kept here (the AST builder reports them) so a line with extra
   * words still ends where it should.
   */
  lineEnd = this.RULE('lineEnd', () => {
    // One token of lookahead (here and in `unknownDeclaration`): a line token is always
    // followed by another or by NEWLINE, so a second one tells nothing, and two-token
    // lookahead over every pair of line tokens took most of the parser's start-up.
    this.OPTION({ DEF: () => this.CONSUME(t.Colon), MAX_LOOKAHEAD: 1 });
    this.MANY(() => this.CONSUME(t.LineContent));
    this.CONSUME(t.Newline);
  });

  lineContent = this.RULE('lineContent', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.ownerLine) },
      { ALT: () => this.SUBRULE(this.descriptionLine) },
      { ALT: () => this.SUBRULE(this.triggerLine) },
      { ALT: () => this.SUBRULE(this.calendarRefLine) },
      { ALT: () => this.SUBRULE(this.sendWindowLine) },
      { ALT: () => this.SUBRULE(this.exitWhenLine) },
      { ALT: () => this.SUBRULE(this.runKeyLine) },
      { ALT: () => this.SUBRULE(this.throttleLine) },
      { ALT: () => this.SUBRULE(this.parametersLine) },
      { ALT: () => this.SUBRULE(this.goalLine) },
      { ALT: () => this.SUBRULE(this.stageLine) },
      { ALT: () => this.SUBRULE(this.emailStep) },
      { ALT: () => this.SUBRULE(this.notifyStep) },
      { ALT: () => this.SUBRULE(this.taskStep) },
      { ALT: () => this.SUBRULE(this.askLine) },
      { ALT: () => this.SUBRULE(this.escalateStep) },
      { ALT: () => this.SUBRULE(this.waitStep) },
      { ALT: () => this.SUBRULE(this.ifLine) },
      { ALT: () => this.SUBRULE(this.elseLine) },
      { ALT: () => this.SUBRULE(this.repeatLine) },
      { ALT: () => this.SUBRULE(this.setStep) },
      { ALT: () => this.SUBRULE(this.webhookStep) },
      { ALT: () => this.SUBRULE(this.runStep) },
      { ALT: () => this.SUBRULE(this.noteStep) },
      { ALT: () => this.SUBRULE(this.stopStep) },
      { ALT: () => this.SUBRULE(this.afterLine) },
      { ALT: () => this.SUBRULE(this.onTimeoutLine) },
      { ALT: () => this.SUBRULE(this.unknownLine) },
    ]);
  });

  ownerLine = this.RULE('ownerLine', () => {
    this.CONSUME(t.Owner);
    this.CONSUME(t.StringLit);
  });

  descriptionLine = this.RULE('descriptionLine', () => {
    this.CONSUME(t.Description);
    this.CONSUME(t.StringLit);
  });

  triggerLine = this.RULE('triggerLine', () => {
    this.CONSUME(t.Trigger);
    this.OR([
      { ALT: () => this.CONSUME(t.Manual) },
      {
        ALT: () => {
          this.CONSUME(t.On);
          this.CONSUME(t.Event);
          this.CONSUME(t.StringLit);
          this.OPTION3(() => {
            this.CONSUME(t.As);
            this.CONSUME(t.Name);
          });
          this.OPTION(() => this.SUBRULE(this.whereClause));
          this.MANY(() => this.SUBRULE(this.triggerGuard));
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.duration);
          this.SUBRULE(this.direction);
          this.SUBRULE(this.fieldRef);
          this.OPTION2(() => this.SUBRULE2(this.whereClause));
          this.MANY2(() => this.SUBRULE2(this.triggerGuard));
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.When);
          this.SUBRULE(this.expression);
          this.MANY3(() => this.SUBRULE3(this.triggerGuard));
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.cadence);
          this.OPTION4(() => this.SUBRULE3(this.whereClause));
          this.MANY4(() => this.SUBRULE4(this.triggerGuard));
        },
      },
    ]);
  });

  /** `every quarter on first business day`, `every month on day 15`, `every 2 weeks on monday`. */
  cadence = this.RULE('cadence', () => {
    this.CONSUME(t.Every);
    this.OPTION(() => this.CONSUME(t.NumberLit));
    this.SUBRULE(this.durationUnit);
    this.OPTION2(() => {
      this.CONSUME(t.On);
      this.OR([
        {
          ALT: () => {
            this.CONSUME(t.First);
            this.CONSUME(t.Business);
            this.CONSUME(t.Day);
          },
        },
        {
          ALT: () => {
            this.CONSUME2(t.Day);
            this.CONSUME2(t.NumberLit, { LABEL: 'dayOfMonth' });
          },
        },
        { ALT: () => this.CONSUME(t.Weekday) },
      ]);
    });
  });

  /** `unless running <playbook>` or `at most once per <duration>`, after a trigger. */
  triggerGuard = this.RULE('triggerGuard', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.Unless);
          this.CONSUME(t.Running);
          this.CONSUME(t.Name);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.At);
          this.CONSUME(t.Most);
          this.CONSUME(t.Once);
          this.CONSUME(t.Per);
          this.SUBRULE(this.duration);
        },
      },
    ]);
  });

  whereClause = this.RULE('whereClause', () => {
    this.CONSUME(t.Where);
    this.SUBRULE(this.expression);
  });

  /** `one run per account and ticket.id`: the run key (default: the account alone). */
  runKeyLine = this.RULE('runKeyLine', () => {
    this.CONSUME(t.One);
    this.CONSUME(t.Run);
    this.CONSUME(t.Per);
    this.CONSUME(t.Name);
    this.MANY(() => {
      this.CONSUME(t.And);
      this.SUBRULE(this.fieldRef);
    });
  });

  /** `start at most 50 per day`: the enrollment throttle. */
  throttleLine = this.RULE('throttleLine', () => {
    this.CONSUME(t.Start);
    this.CONSUME(t.At);
    this.CONSUME(t.Most);
    this.CONSUME(t.NumberLit);
    this.CONSUME(t.Per);
    this.SUBRULE(this.durationUnit);
  });

  /** `parameters owner user, days number`: the values a `run playbook … with` gives the run. */
  parametersLine = this.RULE('parametersLine', () => {
    this.CONSUME(t.Parameters);
    this.SUBRULE(this.parameterDecl);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.parameterDecl);
    });
  });

  /** Scalar types only: a `one of` list's commas would run into the next parameter. */
  parameterDecl = this.RULE('parameterDecl', () => {
    this.CONSUME(t.Word);
    this.OR([{ ALT: () => this.CONSUME(t.ScalarType) }, { ALT: () => this.CONSUME(t.YesNo) }]);
    this.OPTION(() => {
      this.CONSUME(t.Default);
      this.SUBRULE(this.atom);
    });
  });

  /** `goal <id> ["<title>"] target <n>%`: its block is one milestone line (`goalMilestone`). */
  goalLine = this.RULE('goalLine', () => {
    this.CONSUME(t.Goal);
    this.CONSUME(t.Name);
    this.OPTION(() => this.CONSUME(t.StringLit));
    this.CONSUME(t.Target);
    this.CONSUME(t.PercentLit);
  });

  /** `<milestone> within <duration> [of <anchor>]`: the line in a goal's block. */
  goalMilestone = this.RULE('goalMilestone', () => {
    this.SUBRULE(this.goalPoint, { LABEL: 'milestone' });
    this.CONSUME(t.Within);
    this.SUBRULE(this.duration);
    this.OPTION(() => {
      this.CONSUME(t.Of);
      // `start` first: a condition (never an anchor) may start with a bare word `start`.
      this.OR({
        IGNORE_AMBIGUITIES: true,
        DEF: [{ ALT: () => this.CONSUME(t.Start) }, { ALT: () => this.SUBRULE2(this.goalPoint, { LABEL: 'anchor' }) }],
      });
    });
  });

  /**
   * A moment a goal names: `event "<name>"`, `task <name> done|created`, `stage <id>` or (a
   * milestone only) a condition; which of them fits where is the AST builder's to say.
   */
  goalPoint = this.RULE('goalPoint', () => {
    this.OR({
      // `stage <id>` first: a condition may start with a bare word `stage`.
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          ALT: () => {
            this.CONSUME(t.Event);
            this.CONSUME(t.StringLit);
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.Task);
            this.CONSUME(t.Name);
            this.OR2([{ ALT: () => this.CONSUME(t.Done) }, { ALT: () => this.CONSUME(t.Created) }]);
          },
        },
        {
          ALT: () => {
            this.CONSUME(t.Stage);
            this.CONSUME2(t.Name);
          },
        },
        { ALT: () => this.SUBRULE(this.expression) },
      ],
    });
  });

  calendarRefLine = this.RULE('calendarRefLine', () => {
    this.CONSUME(t.Calendar);
    this.CONSUME(t.Name);
  });

  sendWindowLine = this.RULE('sendWindowLine', () => {
    this.CONSUME(t.Send);
    this.CONSUME(t.Window);
    this.CONSUME(t.TimeLit, { LABEL: 'from' });
    this.CONSUME(t.To);
    this.CONSUME2(t.TimeLit, { LABEL: 'to' });
  });

  exitWhenLine = this.RULE('exitWhenLine', () => {
    this.CONSUME(t.Exit);
    this.CONSUME(t.When);
    this.SUBRULE(this.expression);
  });

  stageLine = this.RULE('stageLine', () => {
    this.CONSUME(t.Stage);
    this.CONSUME(t.Name);
    this.OPTION(() => this.CONSUME(t.StringLit));
  });

  /** `email <recipients> [cc <recipients>] [bcc <recipients>] [from <sender>] template "<name>" [ignoring contact policy]`. */
  emailStep = this.RULE('emailStep', () => {
    this.CONSUME(t.Email);
    this.SUBRULE(this.recipients);
    this.MANY(() => this.SUBRULE(this.emailClause));
    this.CONSUME(t.Template);
    this.CONSUME(t.StringLit);
    this.OPTION(() => this.SUBRULE(this.ignoringPolicy));
  });

  /** `ignoring contact policy`: the two words after `ignoring` are checked by the AST builder. */
  ignoringPolicy = this.RULE('ignoringPolicy', () => {
    this.CONSUME(t.Ignoring);
    this.CONSUME(t.Name, { LABEL: 'subject' });
    this.CONSUME2(t.Name, { LABEL: 'what' });
  });

  /** `cc <recipients>`, `bcc <recipients>` or `from <sender>`; the AST builder reports one given twice. */
  emailClause = this.RULE('emailClause', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.Cc);
          this.SUBRULE(this.recipients);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Bcc);
          this.SUBRULE2(this.recipients);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.From);
          this.SUBRULE(this.sender);
        },
      },
    ]);
  });

  /** One or more recipients separated by commas. */
  recipients = this.RULE('recipients', () => {
    this.SUBRULE(this.recipient);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.recipient);
    });
  });

  /** `account.csm` (a `user` field) or `"Name <address>"`. */
  sender = this.RULE('sender', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.fieldRef) }, { ALT: () => this.CONSUME(t.StringLit) }]);
  });

  notifyStep = this.RULE('notifyStep', () => {
    this.CONSUME(t.Notify);
    this.SUBRULE(this.recipient);
    this.CONSUME(t.StringLit);
  });

  taskStep = this.RULE('taskStep', () => {
    this.CONSUME(t.Task);
    this.CONSUME(t.StringLit);
    this.CONSUME(t.For);
    this.SUBRULE(this.recipient);
    this.OPTION(() => {
      this.CONSUME(t.Due);
      this.CONSUME(t.In);
      this.SUBRULE(this.duration);
    });
    this.OPTION2(() => {
      this.CONSUME(t.As);
      this.CONSUME(t.Name);
    });
  });

  askLine = this.RULE('askLine', () => {
    this.CONSUME(t.Ask);
    this.CONSUME(t.Word);
    this.CONSUME(t.StringLit);
    this.SUBRULE(this.fieldType);
    this.OPTION(() => this.CONSUME(t.Optional));
    this.OPTION2(() => {
      this.CONSUME(t.Default);
      this.SUBRULE(this.atom);
    });
  });

  escalateStep = this.RULE('escalateStep', () => {
    this.CONSUME(t.Escalate);
    this.CONSUME(t.To);
    this.SUBRULE(this.recipient);
    this.OPTION(() => {
      this.CONSUME(t.Severity);
      this.CONSUME(t.SeverityLevel);
    });
    this.CONSUME(t.StringLit);
  });

  waitStep = this.RULE('waitStep', () => {
    this.CONSUME(t.Wait);
    this.OR([
      { ALT: () => this.SUBRULE(this.duration) },
      {
        ALT: () => {
          this.CONSUME(t.Until);
          this.SUBRULE(this.expression);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.For);
          this.OR2({
            // `any of` first: a condition may start with a name `any` (`wait for any.x`).
            IGNORE_AMBIGUITIES: true,
            DEF: [
              {
                ALT: () => {
                  this.CONSUME(t.Any);
                  this.CONSUME(t.Of);
                },
              },
              { ALT: () => this.SUBRULE(this.waitable) },
            ],
          });
          this.OPTION(() => {
            this.CONSUME(t.Up);
            this.CONSUME(t.To);
            this.SUBRULE2(this.duration);
          });
        },
      },
    ]);
  });

  waitable = this.RULE('waitable', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.Event);
          this.CONSUME(t.StringLit);
          this.OPTION(() => {
            this.CONSUME(t.As);
            this.CONSUME(t.Name);
          });
          this.OPTION2(() => this.SUBRULE(this.whereClause));
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Task);
          this.CONSUME2(t.Name);
        },
      },
      { ALT: () => this.SUBRULE(this.expression) },
    ]);
  });

  ifLine = this.RULE('ifLine', () => {
    this.CONSUME(t.If);
    this.SUBRULE(this.expression);
  });

  elseLine = this.RULE('elseLine', () => {
    this.CONSUME(t.Else);
    this.OPTION(() => {
      this.CONSUME(t.If);
      this.SUBRULE(this.expression);
    });
  });

  repeatLine = this.RULE('repeatLine', () => {
    this.CONSUME(t.Repeat);
    this.CONSUME(t.Every);
    this.SUBRULE(this.duration);
    this.OPTION(() => {
      this.CONSUME(t.At);
      this.CONSUME(t.Most);
      this.CONSUME(t.NumberLit);
      this.CONSUME(t.Times);
    });
    this.OPTION2(() => {
      this.CONSUME(t.Until);
      this.SUBRULE(this.expression);
    });
  });

  setStep = this.RULE('setStep', () => {
    this.CONSUME(t.SetKeyword);
    this.SUBRULE(this.fieldRef);
    this.CONSUME(t.To);
    this.SUBRULE(this.expression);
  });

  webhookStep = this.RULE('webhookStep', () => {
    this.CONSUME(t.Webhook);
    this.CONSUME(t.StringLit);
    this.OPTION(() => this.SUBRULE(this.withList));
  });

  /** `with <name>: <expr>, …` of `webhook` and `run playbook`. */
  withList = this.RULE('withList', () => {
    this.CONSUME(t.With);
    this.SUBRULE(this.withField);
    this.MANY(() => {
      this.CONSUME(t.Comma);
      this.SUBRULE2(this.withField);
    });
  });

  withField = this.RULE('withField', () => {
    this.CONSUME(t.Word);
    this.CONSUME(t.Colon);
    this.SUBRULE(this.expression);
  });

  runStep = this.RULE('runStep', () => {
    this.CONSUME(t.Run);
    this.CONSUME(t.Playbook);
    this.CONSUME(t.Name);
    this.OPTION(() => this.SUBRULE(this.withList));
  });

  noteStep = this.RULE('noteStep', () => {
    this.CONSUME(t.Note);
    this.CONSUME(t.StringLit);
  });

  stopStep = this.RULE('stopStep', () => {
    this.CONSUME(t.Stop);
    this.OPTION(() => {
      this.CONSUME(t.With);
      this.CONSUME(t.Outcome);
      this.CONSUME(t.StringLit);
    });
  });

  afterLine = this.RULE('afterLine', () => {
    this.CONSUME(t.After);
    this.SUBRULE(this.duration);
  });

  onTimeoutLine = this.RULE('onTimeoutLine', () => {
    this.CONSUME(t.On);
    this.CONSUME(t.Timeout);
  });

  unknownLine = this.RULE('unknownLine', () => {
    this.CONSUME(t.NotLineStart);
    this.MANY(() => this.CONSUME(t.LineContent));
  });

  // -------------------------------------------------------------------------------------
  // Recipients, references and durations

  recipient = this.RULE('recipient', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.fieldRef) },
      {
        ALT: () => {
          this.CONSUME(t.Role);
          this.CONSUME(t.StringLit);
        },
      },
      { ALT: () => this.CONSUME2(t.StringLit) },
    ]);
  });

  /** `account.csm`: a name and at least one `.field`. */
  fieldRef = this.RULE('fieldRef', () => {
    this.CONSUME(t.Name);
    this.AT_LEAST_ONE(() => {
      this.CONSUME(t.Dot);
      this.CONSUME(t.Word);
    });
  });

  duration = this.RULE('duration', () => {
    this.CONSUME(t.NumberLit);
    this.SUBRULE(this.durationUnit);
  });

  durationUnit = this.RULE('durationUnit', () => {
    this.OR([
      { ALT: () => this.CONSUME(t.Minute) },
      { ALT: () => this.CONSUME(t.Hour) },
      { ALT: () => this.CONSUME(t.Day) },
      { ALT: () => this.CONSUME(t.Week) },
      { ALT: () => this.CONSUME(t.Month) },
      { ALT: () => this.CONSUME(t.Quarter) },
      { ALT: () => this.CONSUME(t.Year) },
      {
        ALT: () => {
          this.CONSUME(t.Business);
          this.OR2([{ ALT: () => this.CONSUME2(t.Day) }, { ALT: () => this.CONSUME2(t.Hour) }]);
        },
      },
    ]);
  });

  direction = this.RULE('direction', () => {
    this.OR([{ ALT: () => this.CONSUME(t.Before) }, { ALT: () => this.CONSUME(t.After) }]);
  });

  // -------------------------------------------------------------------------------------
  // Expressions: `or` < `and` < `not` < comparison < `+ -` < `* /` (both in `comparison`) < prefix forms < atoms.
  // Chains (`a and b and c`, `not not x`, `a + b - c`, `days since 3 days before x`) are
  // repetitions, not recursion, so a long line never grows the stack.

  expression = this.RULE('expression', () => {
    this.SUBRULE(this.andExpr);
    this.MANY(() => {
      this.CONSUME(t.Or);
      this.SUBRULE2(this.andExpr);
    });
  });

  andExpr = this.RULE('andExpr', () => {
    this.SUBRULE(this.notExpr);
    this.MANY(() => {
      this.CONSUME(t.And);
      this.SUBRULE2(this.notExpr);
    });
  });

  notExpr = this.RULE('notExpr', () => {
    this.MANY(() => this.CONSUME(t.Not));
    this.SUBRULE(this.comparison);
  });

  /**
   * The arithmetic on each side is a flat chain here (`a + b * c`), its precedence applied by
   * the AST builder: one rule per comparison instead of one per precedence level keeps
   * expression-heavy files as fast to parse as before arithmetic existed.
   */
  comparison = this.RULE('comparison', () => {
    this.SUBRULE(this.primary, { LABEL: 'left' });
    this.MANY(() => {
      this.CONSUME(t.ArithOp, { LABEL: 'leftOp' });
      this.SUBRULE2(this.primary, { LABEL: 'left' });
    });
    this.OPTION(() =>
      this.OR([
        {
          // `is [not] empty` or `is [not] <value>`.
          ALT: () => {
            this.CONSUME(t.Is);
            this.OPTION3(() => this.CONSUME3(t.Not));
            this.OR2([
              { ALT: () => this.CONSUME(t.Empty) },
              {
                ALT: () => {
                  this.SUBRULE3(this.primary, { LABEL: 'right' });
                  this.MANY2(() => {
                    this.CONSUME2(t.ArithOp, { LABEL: 'rightOp' });
                    this.SUBRULE4(this.primary, { LABEL: 'right' });
                  });
                },
              },
            ]);
          },
        },
        {
          ALT: () => {
            this.SUBRULE(this.compareOp);
            this.SUBRULE5(this.primary, { LABEL: 'right' });
            this.MANY3(() => {
              this.CONSUME3(t.ArithOp, { LABEL: 'rightOp' });
              this.SUBRULE6(this.primary, { LABEL: 'right' });
            });
          },
        },
        {
          ALT: () => {
            this.OPTION2(() => this.CONSUME(t.Not));
            this.CONSUME(t.In);
            this.SUBRULE(this.list);
          },
        },
      ]),
    );
  });

  /** The symbol comparisons; `is` and `is not` belong to `comparison` (they also lead `is empty`). */
  compareOp = this.RULE('compareOp', () => {
    this.OR([
      { ALT: () => this.CONSUME(t.Equals) },
      { ALT: () => this.CONSUME(t.NotEquals) },
      { ALT: () => this.CONSUME(t.LessEquals) },
      { ALT: () => this.CONSUME(t.Less) },
      { ALT: () => this.CONSUME(t.GreaterEquals) },
      { ALT: () => this.CONSUME(t.Greater) },
    ]);
  });

  list = this.RULE('list', () => {
    this.CONSUME(t.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expression);
      this.MANY(() => {
        this.CONSUME(t.Comma);
        this.SUBRULE2(this.expression);
      });
    });
    this.CONSUME(t.RBracket);
  });

  primary = this.RULE('primary', () => {
    // `3 business days before x` is a prefix, `3 business days` alone an atom: four tokens tell them apart.
    this.MANY({ MAX_LOOKAHEAD: 4, DEF: () => this.SUBRULE(this.prefix) });
    this.SUBRULE(this.atom);
  });

  /** A form that applies to the primary after it: `days until`, `3 days before`. */
  prefix = this.RULE('prefix', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(t.Day);
          this.OR2([{ ALT: () => this.CONSUME(t.Until) }, { ALT: () => this.CONSUME(t.Since) }]);
        },
      },
      {
        ALT: () => {
          this.CONSUME(t.Business);
          this.CONSUME2(t.Day);
          this.CONSUME2(t.Since);
        },
      },
      {
        ALT: () => {
          this.SUBRULE(this.duration);
          this.SUBRULE(this.direction);
        },
      },
    ]);
  });

  atom = this.RULE('atom', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.reference) },
      { ALT: () => this.CONSUME(t.StringLit) },
      {
        // A number, or a duration (`90 days`) to add to or subtract from a date.
        ALT: () => {
          this.CONSUME(t.NumberLit);
          this.OPTION(() => this.SUBRULE(this.durationUnit));
        },
      },
      { ALT: () => this.CONSUME(t.PercentLit) },
      { ALT: () => this.CONSUME(t.DateLit) },
      { ALT: () => this.CONSUME(t.Yes) },
      { ALT: () => this.CONSUME(t.No) },
      { ALT: () => this.CONSUME(t.True) },
      { ALT: () => this.CONSUME(t.False) },
      { ALT: () => this.CONSUME(t.Today) },
      {
        ALT: () => {
          this.CONSUME(t.LParen);
          this.SUBRULE(this.expression);
          this.CONSUME(t.RParen);
        },
      },
    ]);
  });

  /** A bare word (`enterprise`) or a dotted reference (`account.segment`). */
  reference = this.RULE('reference', () => {
    this.CONSUME(t.Name);
    this.MANY(() => {
      this.CONSUME(t.Dot);
      this.CONSUME(t.Word);
    });
  });

  // -------------------------------------------------------------------------------------
  // Recovery. After an error the parser skips to the end of the line, never further, so the
  // next line parses on its own: chevrotain would otherwise re-sync at the first token that
  // may follow any rule on the stack, and nearly every token may start an unknown line.
  // An inserted token sits where the missing one should have been (never at NaN), and
  // line structure (NEWLINE, INDENT, DEDENT) is never deleted to patch a line.

  /** Replaces chevrotain's re-sync point search (not part of its typed API). */
  protected findReSyncTokenType(): TokenType {
    for (let k = 1; ; k++) {
      const type = this.LA(k).tokenType;
      if (type === EOF || layoutTokens.has(type)) return type;
    }
  }

  protected override getTokenToInsert(tokType: TokenType): IToken {
    const next = this.LA(1);
    const offset = Number.isNaN(next.startOffset) ? 0 : next.startOffset;
    const token = createTokenInstance(
      tokType,
      '',
      offset,
      offset - 1,
      next.startLine ?? 1,
      next.startLine ?? 1,
      next.startColumn ?? 1,
      (next.startColumn ?? 1) - 1,
    );
    token.isInsertedInRecovery = true;
    return token;
  }

  protected override canTokenTypeBeDeletedInRecovery(): boolean {
    return !layoutTokens.has(this.LA(1).tokenType);
  }
}

/** The one parser instance: self-analysis runs once per process, the instance is reused. */
export const parser = new PlaybookParser({ validate: false });

/** What the lines of a block that a line opens are: waitables of `wait for any of …`, a goal's milestone, or steps. */
export type BlockKind = 'anyOf' | 'goal';

function blockKind(content: CstNode | undefined): BlockKind | undefined {
  if (content?.children?.goalLine) return 'goal';
  const wait = content?.children?.waitStep?.[0] as CstNode | undefined;
  return wait?.children?.Any !== undefined ? 'anyOf' : undefined;
}
