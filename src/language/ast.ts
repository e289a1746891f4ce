/**
 * The typed syntax tree of the playbook language. Built from chevrotain's CST by
 * `build-ast.ts`; read by the checker (`src/check`) and lowered to IR (`src/ir`).
 * Every node has a `span`; nothing downstream reads source text again.
 *
 * Nodes produced while recovering from a syntax error may have missing parts; those are
 * typed optional where the parser can leave them out, and the checker must not report
 * follow-on errors for a file that already has syntax errors in that node.
 */
import type { Span } from './span.js';

interface Node {
  span: Span;
}

export interface Ident extends Node {
  name: string;
}

/** A double-quoted string. `value` has escapes resolved. */
export interface StringLit extends Node {
  value: string;
}

/**
 * A string that may hold `{expr}` interpolations (message texts, titles). `parts` alternate
 * literal text and parsed expressions; an expression's span points inside the string.
 */
export interface TextLit extends Node {
  value: string;
  parts: TextPart[];
}
export type TextPart = { kind: 'text'; value: string } | { kind: 'expr'; expr: Expr };

// ---------------------------------------------------------------------------------------
// Files and declarations

export interface SourceFile extends Node {
  file: string;
  declarations: Declaration[];
}

export type Declaration = AccountFieldsDecl | CalendarDecl | PlaybookDecl | EventsDecl | ContactPolicyDecl | CoverageDecl;

/**
 * `coverage <id> "<title>" target 95%:` with `accounts where <condition>` and `have run
 * <playbook>`: the share of the accounts the condition holds for that have a run of the
 * playbook (docs/kpis.md, "Coverage"). Its span is its first line.
 */
export interface CoverageDecl extends Node {
  kind: 'coverage';
  id: Ident;
  title?: StringLit;
  /** `target 95%`, as written (95). */
  target: Node & { value: number };
  /** The condition on account fields that picks the population. */
  population: Expr;
  /** The playbook whose runs cover an account. */
  playbook: Ident;
}

export interface AccountFieldsDecl extends Node {
  kind: 'accountFields';
  fields: FieldDecl[];
}

export interface FieldDecl extends Node {
  name: Ident;
  type: FieldType;
}

/** `events`: the event names the workspace uses, each with its typed payload fields. */
export interface EventsDecl extends Node {
  kind: 'events';
  events: EventDecl[];
}

export interface EventDecl extends Node {
  /** The dotted name, e.g. `nps.responded`; its span covers the whole name. */
  name: Ident;
  fields: FieldDecl[];
}

/**
 * `contact policy`: caps on customer-facing emails per contact across every playbook, and
 * what happens to an email a cap holds back (`whenCapped`, absent when not given).
 */
export interface ContactPolicyDecl extends Node {
  kind: 'contactPolicy';
  caps: ContactCap[];
  whenCapped: Array<Node & { action: CappedAction }>;
}

/** `at most 2 emails per contact per 5 business days`; `per day` has amount 1. */
export interface ContactCap extends Node {
  count: number;
  period: Duration;
}

export type CappedAction = 'defer' | 'skip';

export type ScalarFieldType = 'text' | 'number' | 'date' | 'yes/no' | 'timezone' | 'user' | 'contact';
export type FieldType =
  | (Node & { kind: 'scalar'; name: ScalarFieldType })
  | (Node & { kind: 'oneOf'; values: Ident[] })
  /** `list of contact`: a JSON array of values of one scalar type. */
  | (Node & { kind: 'list'; of: ScalarFieldType });

export type Weekday = 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday' | 'sunday';

export interface CalendarDecl extends Node {
  kind: 'calendar';
  id: Ident;
  title?: StringLit;
  items: CalendarItem[];
}

export type CalendarItem =
  /** `timezone account.timezone or "America/New_York"`: the first source that has a value wins. */
  | (Node & { kind: 'timezone'; sources: TimezoneSource[] })
  /** `working days monday to friday` (a range) or `working days monday, wednesday, friday`. */
  | (Node & { kind: 'workingDays'; days: Array<Node & { day: Weekday }>; range: boolean })
  | (Node & { kind: 'workingHours'; from: TimeLit; to: TimeLit })
  /**
   * `holidays "US"`: public holidays of a country (ISO code, optionally a region: `US-NY`);
   * `holidays account.country or "US"`: of the first source that has a value.
   */
  | (Node & { kind: 'holidays'; sources: HolidaysSource[] })
  | (Node & { kind: 'holiday'; date: DateLit; name?: StringLit });

export type TimezoneSource = FieldRef | StringLit;
export type HolidaysSource = FieldRef | StringLit;

export interface TimeLit extends Node {
  /** `HH:MM`, 24-hour clock. */
  value: string;
}

export interface DateLit extends Node {
  /** `YYYY-MM-DD`. */
  value: string;
}

// ---------------------------------------------------------------------------------------
// Playbooks

export interface PlaybookDecl extends Node {
  kind: 'playbook';
  id: Ident;
  title?: StringLit;
  header: HeaderItem[];
  body: Step[];
}

export type HeaderItem =
  | (Node & { kind: 'owner'; value: StringLit })
  | (Node & { kind: 'description'; value: StringLit })
  | (Node & { kind: 'trigger'; trigger: Trigger })
  | (Node & { kind: 'calendar'; id: Ident })
  | (Node & { kind: 'sendWindow'; from: TimeLit; to: TimeLit })
  | (Node & { kind: 'exitWhen'; condition: Expr })
  /** `one run per account and ticket.id`: the run key is the account and these values. */
  | (Node & { kind: 'runKey'; parts: FieldRef[] })
  /** `start at most 50 per day`: starts by triggers past the limit queue in order. */
  | (Node & { kind: 'throttle'; perDay: Node & { value: number } })
  /** `parameters owner user, days number`: values a `run playbook … with` gives, read as `params.<name>`. */
  | (Node & { kind: 'parameters'; parameters: ParameterDecl[] })
  /** `goal <id> "<title>" target 90%:` with its milestone line: measured, never blocking. */
  | (Node & { kind: 'goal'; goal: GoalDecl });

/**
 * A goal: its milestone should happen within `within` of its anchor (the run's start when the
 * line gives none), counted in the playbook's calendar; met or missed, it never changes the run.
 */
export interface GoalDecl extends Node {
  id: Ident;
  title?: StringLit;
  /** `target 90%`: the share of runs meant to meet it, as written (90). */
  target: Node & { value: number };
  milestone: GoalMilestone;
  within: Duration;
  /** Absent: `of start` (the default), or written so. */
  anchor?: GoalAnchor;
}

/** What a goal waits for: an event received, a task completed, a stage reached or a condition on data. */
export type GoalMilestone =
  | (Node & { kind: 'event'; name: StringLit })
  | (Node & { kind: 'taskDone'; task: Ident })
  | (Node & { kind: 'stage'; stage: Ident })
  | (Node & { kind: 'condition'; condition: Expr });

/** Where a goal's time starts (`of …`): a stage reached, an event received or a task created. */
export type GoalAnchor = (Node & { kind: 'event'; name: StringLit }) | (Node & { kind: 'taskCreated'; task: Ident }) | (Node & { kind: 'stage'; stage: Ident });

/** A parameter of a playbook: a scalar type (a `one of` list's commas would run into the next one). */
export interface ParameterDecl extends Node {
  name: Ident;
  type: Node & { kind: 'scalar'; name: Exclude<ScalarFieldType, 'timezone'> };
  /** `default <literal>`: the value when a `run playbook … with` leaves it out. */
  default?: LiteralExpr;
}

/** `unless running <playbook>` and `at most once per <duration>` after a trigger. */
export interface TriggerGuards {
  unlessRunning?: Ident;
  atMostOncePer?: Duration;
}

export type Trigger =
  | (Node & { kind: 'manual' })
  /** `as`: the event, bound for the `where` and for the whole run it starts. */
  | (Node & TriggerGuards & { kind: 'event'; name: StringLit; as?: Ident; where?: Expr })
  | (Node & TriggerGuards & { kind: 'relative'; offset: Duration; direction: 'before' | 'after'; field: FieldRef; where?: Expr })
  | (Node & TriggerGuards & { kind: 'when'; condition: Expr })
  /** `every quarter on first business day`: once per period, in the account's calendar. */
  | (Node & TriggerGuards & { kind: 'every'; period: Cadence; on?: CadenceDay; where?: Expr });

export type CadenceUnit = 'week' | 'month' | 'quarter';

/** `2 weeks`, `month` (an amount of 1), `quarter`. */
export interface Cadence extends Node {
  amount: number;
  unit: CadenceUnit;
}

/** The day of a period a cadence fires on. */
export type CadenceDay =
  | (Node & { kind: 'firstBusinessDay' })
  /** `on day 15`: clamped to the month's last day. */
  | (Node & { kind: 'day'; day: number })
  | (Node & { kind: 'weekday'; weekday: Weekday });

export type DurationUnit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year' | 'business day' | 'business hour';

export interface Duration extends Node {
  amount: number;
  unit: DurationUnit;
}

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type Recipient =
  /** `account.csm`: a `user` or `contact` field. */
  | (Node & { kind: 'field'; field: FieldRef })
  /** `role "support-lead"`: resolved by configuration. */
  | (Node & { kind: 'role'; name: StringLit })
  /** `"renewals@example.com"` */
  | (Node & { kind: 'address'; address: StringLit });

export type Step =
  | EmailStep
  | NotifyStep
  | TaskStep
  | EscalateStep
  | WaitStep
  | WaitUntilStep
  | WaitForStep
  | IfStep
  | RepeatStep
  | SetStep
  | WebhookStep
  | RunPlaybookStep
  | StageStep
  | NoteStep
  | StopStep;

/**
 * `email <to, …> [cc …] [bcc …] [from <sender>] template "<name>"`. Every `to` contact (each
 * contact of a `list of contact` field) gets a message of its own; `cc` and `bcc` are on each.
 */
export interface EmailStep extends Node {
  kind: 'email';
  /** At least one. */
  to: Recipient[];
  cc?: Recipient[];
  bcc?: Recipient[];
  from?: Sender;
  template: StringLit;
  /** `ignoring contact policy`: a transactional email, neither capped nor counted. */
  ignoringPolicy?: Node;
}

export type Sender =
  /** `from account.csm`: a `user` field; the display name comes from configuration. */
  | (Node & { kind: 'field'; field: FieldRef })
  /** `from "Acme Success <success@acme.com>"` or `from "success@acme.com"`. */
  | (Node & { kind: 'literal'; value: StringLit });

export interface NotifyStep extends Node {
  kind: 'notify';
  to: Recipient;
  text: TextLit;
}

export interface TaskStep extends Node {
  kind: 'task';
  title: TextLit;
  assignee: Recipient;
  due?: Duration;
  /** `as <name>`: lets `wait for task <name>` and `<name>.<ask>` refer to it. */
  name?: Ident;
  asks: AskDecl[];
}

export type AskType = (Node & { kind: 'scalar'; name: 'yes/no' | 'text' | 'number' | 'date' }) | (Node & { kind: 'oneOf'; values: Ident[] });

/** A literal an ask's `default` may give: what the checker compares with the ask's type. */
export type LiteralExpr = Extract<Expr, { kind: 'string' | 'number' | 'date' | 'bool' | 'word' }>;

export interface AskDecl extends Node {
  name: Ident;
  question: StringLit;
  type: AskType;
  /** `optional`: a completion may leave the answer out. */
  optional?: Node;
  /** `default <literal>`: the answer of a completion that leaves it out. */
  default?: LiteralExpr;
}

export interface EscalateStep extends Node {
  kind: 'escalate';
  to: Recipient;
  severity?: Node & { value: Severity };
  text: TextLit;
}

export interface WaitStep extends Node {
  kind: 'wait';
  duration: Duration;
}

/** `wait until <date expression>`; a date means the start of working hours that day. */
export interface WaitUntilStep extends Node {
  kind: 'waitUntil';
  at: Expr;
}

export type Waitable =
  | SingleWaitable
  /** `wait for any of:` — the waitables of its block, in order; the first to happen ends the wait. */
  | (Node & { kind: 'anyOf'; of: SingleWaitable[] });

export type SingleWaitable =
  /** `where`: the wait takes the first pending event of `name` it holds for (reading it as `as`). */
  | (Node & { kind: 'event'; name: StringLit; as?: Ident; where?: Expr })
  | (Node & { kind: 'task'; task: Ident })
  | (Node & { kind: 'condition'; condition: Expr });

/** The waitables a `wait for` waits for: its one target, or each of `wait for any of`. */
export function waitables(target: Waitable): SingleWaitable[] {
  return target.kind === 'anyOf' ? target.of : [target];
}

export interface WaitForStep extends Node {
  kind: 'waitFor';
  target: Waitable;
  upTo?: Duration;
  /** `after <duration>:` blocks: non-interrupting, measured from the wait's start. */
  rungs: Rung[];
  onTimeout?: Block;
}

export interface Rung extends Node {
  after: Duration;
  body: Step[];
}

/** A keyword line with an indented block (`else:`, `on timeout:`); the span is the keyword line. */
export interface Block extends Node {
  body: Step[];
}

export interface IfStep extends Node {
  kind: 'if';
  /** The `if` branch first, then each `else if`, in order. */
  branches: Array<Node & { condition: Expr; body: Step[] }>;
  else?: Block;
}

export interface RepeatStep extends Node {
  kind: 'repeat';
  every: Duration;
  atMost?: Node & { value: number };
  until?: Expr;
  body: Step[];
}

export interface SetStep extends Node {
  kind: 'set';
  field: FieldRef;
  value: Expr;
}

export interface WebhookStep extends Node {
  kind: 'webhook';
  endpoint: StringLit;
  fields: NamedValue[];
}

export interface RunPlaybookStep extends Node {
  kind: 'runPlaybook';
  playbook: Ident;
  /** `with owner: account.csm, days: 5`: the child's parameters, evaluated once in the caller. */
  args: NamedValue[];
}

/** `<name>: <expr>` of a `with` list (`webhook … with`, `run playbook … with`). */
export type NamedValue = Node & { name: Ident; value: Expr };

export interface StageStep extends Node {
  kind: 'stage';
  id: Ident;
  title?: StringLit;
  body: Step[];
}

export interface NoteStep extends Node {
  kind: 'note';
  text: TextLit;
}

export interface StopStep extends Node {
  kind: 'stop';
  outcome?: StringLit;
}

// ---------------------------------------------------------------------------------------
// Expressions

/**
 * A dotted reference: `account.renewal_date`, `kickoff.attendees` (an event bound with `as`),
 * `training.rating` (a task's `ask`). `root` is the first segment.
 */
export interface FieldRef extends Node {
  kind: 'ref';
  root: Ident;
  path: Ident[];
}

export type CompareOp = 'is' | 'is not' | '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Expr =
  | FieldRef
  | (Node & { kind: 'string'; value: string })
  | (Node & { kind: 'number'; value: number })
  | (Node & { kind: 'date'; value: string })
  | (Node & { kind: 'bool'; value: boolean })
  /** A bare word such as `enterprise` or `churned`: a `one of` value, typed by what it is compared with. */
  | (Node & { kind: 'word'; name: string })
  | (Node & { kind: 'today' })
  | (Node & { kind: 'compare'; op: CompareOp; left: Expr; right: Expr })
  | (Node & { kind: 'in'; negated: boolean; left: Expr; list: Expr[] })
  | (Node & { kind: 'and' | 'or'; left: Expr; right: Expr })
  | (Node & { kind: 'not'; operand: Expr })
  | (Node & { kind: 'daysUntil' | 'daysSince' | 'businessDaysSince'; operand: Expr })
  /** `60 days before account.renewal_date`: a date (or instant) moved by a duration. */
  | (Node & { kind: 'offset'; offset: Duration; direction: 'before' | 'after'; base: Expr })
  /** `a + b`, `a * b`; `+` and `-` also move a date by a `duration` operand. */
  | (Node & { kind: 'arith'; op: ArithOp; left: Expr; right: Expr })
  /** `90 days` as an operand: only meaningful added to or subtracted from a date. */
  | (Node & { kind: 'duration'; duration: Duration })
  /** `x is empty` (`negated`: `x is not empty`). */
  | (Node & { kind: 'isEmpty'; negated: boolean; operand: Expr });

export type ArithOp = '+' | '-' | '*' | '/';
