/**
 * The IR: what a checked playbook compiles to and what the interpreter runs. Plain JSON,
 * small (no source text, only line numbers), versioned by `irVersion`; its canonical JSON
 * hash is the playbook's version id. These types are the documentation; `schema.ts` is the
 * zod schema that validates IR read from outside (files, workflow inputs).
 *
 * This module has no runtime imports so the Temporal workflow bundle can use it.
 */
import type { DurationUnit, ScalarFieldType, Severity } from '../language/ast.js';
import type { ContactPolicyIr } from './contact-policy.js';

export type { ContactPolicyIr, DurationUnit, ScalarFieldType, Severity };

export const IR_VERSION = 1 as const;

/**
 * One compiled playbook with everything it needs to run: the playbooks it runs as children,
 * the calendars they use, the account fields and the email templates they use.
 */
export interface IrProgram {
  irVersion: typeof IR_VERSION;
  /** Id of the playbook this program starts with. */
  entry: string;
  playbooks: Record<string, PlaybookIr>;
  calendars: Record<string, CalendarIr>;
  fields: Record<string, FieldTypeIr>;
  templates: Record<string, TemplateIr>;
  /**
   * The declared payloads of the events the program's triggers and waits name, by event
   * name: present only when the workspace has an `events` block (absent, names are free).
   */
  events?: Record<string, EventIr>;
  /**
   * The workspace's `contact policy`: present only when the workspace has one and one of the
   * program's playbooks has an email step it governs (not `ignoring contact policy`).
   */
  contactPolicy?: ContactPolicyIr;
}

/** An event's payload: every declared field is required and typed. */
export interface EventIr {
  fields: Record<string, FieldTypeIr>;
}

export type FieldTypeIr =
  | { type: ScalarFieldType }
  | { type: 'one of'; values: string[] }
  /** `list of <type>`: a JSON array of values of one scalar type. */
  | { type: 'list'; of: ScalarFieldType };

export interface TemplateIr extends TemplateTextIr {
  /**
   * The localised variants (`templates/<name>.<locale>.md`) by locale as written (`de`,
   * `pt-BR`): present only when there are any, so templates without keep their IR and their
   * programs' version hashes. The interpreter chooses by `account.locale` (template-locale.ts).
   */
  locales?: Record<string, TemplateTextIr>;
}

export interface TemplateTextIr {
  subject: TextIr;
  body: TextIr;
}

export interface CalendarIr {
  id: string;
  title: string | null;
  /** Tried in order: an account field holding an IANA zone, or a zone name. Falls back to UTC. */
  timezone: Array<{ field: string } | { zone: string }>;
  /** ISO weekdays, 1 = Monday … 7 = Sunday, ascending. */
  workingDays: number[];
  /** `HH:MM` local times; null means whole days. */
  workingHours: { from: string; to: string } | null;
  /** Country (or country-region) codes whose public holidays are resolved before a run. */
  holidayCountries: string[];
  /**
   * `holidays account.country or "US"` lines, each tried in order for one account: an account
   * field holding a country or region code, or a code. Absent when no line names a field, so
   * calendars written before keep their IR and their version hash.
   */
  holidaySources?: Array<Array<{ field: string } | { code: string }>>;
  /** Explicit `holiday` lines. */
  holidays: Array<{ date: string; name: string | null }>;
}

export interface DurationIr {
  amount: number;
  unit: DurationUnit;
}

export interface PlaybookIr {
  id: string;
  title: string | null;
  /** Workspace-relative source file and the line of the `playbook` keyword. */
  file: string;
  line: number;
  owner: string | null;
  description: string | null;
  triggers: TriggerIr[];
  /** Id of a calendar in `IrProgram.calendars`, or null (Mon–Fri, UTC, no holidays). */
  calendar: string | null;
  sendWindow: { from: string; to: string } | null;
  exitWhen: ExprIr[];
  /**
   * `one run per account and <value>`: the values that, with the account, key a run (its
   * workflow id holds them). Absent: one run per account, as in v1 (and v1's hashes).
   */
  runKey?: ExprIr[];
  /** `start at most N per day`: starts by triggers past N a day (in the playbook's calendar) queue in order. Absent: none. */
  throttle?: { perDay: number };
  /**
   * `parameters owner user, days number`, in order: the values a `run playbook … with` gives
   * the run (read as `params.<name>`). Absent without the line, as in v1 (and v1's hashes).
   */
  parameters?: ParameterIr[];
  /** `goal …` lines in order: measured while the run goes, never changing it. Absent without any, as in v1 (and v1's hashes). */
  goals?: GoalIr[];
  body: StepIr[];
}

/** A goal: `milestone` within `within` of `anchor`, counted in the playbook's calendar. */
export interface GoalIr {
  id: string;
  /** The title, or null when the line gives none (entries then show the id). */
  title: string | null;
  /** `target 90%`: 90. */
  target: number;
  milestone: GoalPointIr;
  within: DurationIr;
  /** `{ kind: 'start' }` when the line names none. */
  anchor: GoalPointIr;
  /** The `goal` line: the `line` of its entries. */
  line: number;
}

/** A moment a goal names: milestones are `event`, `taskDone`, `stage` or `condition`; anchors `start`, `event`, `taskCreated` or `stage`. */
export type GoalPointIr =
  | { kind: 'start' }
  | { kind: 'event'; event: string }
  | { kind: 'taskDone'; task: string }
  | { kind: 'taskCreated'; task: string }
  | { kind: 'stage'; stage: string }
  | { kind: 'condition'; condition: ExprIr };

export interface ParameterIr {
  name: string;
  type: { type: Exclude<ScalarFieldType, 'timezone'> };
  /** `default <literal>`: the value when the caller leaves it out (a date as `YYYY-MM-DD`); absent: required. */
  default?: string | number | boolean;
}

/** Keys present only when the source gives them, so triggers without them keep their hash. */
export type TriggerGuardsIr = {
  /** `unless running <playbook>`: skipped while a run of it is open for the account. */
  unlessRunning?: string;
  /** `at most once per <duration>`: skipped within this long of the playbook's last start by a trigger. */
  atMostOncePer?: DurationIr;
};

export type TriggerIr =
  | { kind: 'manual' }
  /** `as`: the run starts with the event's payload bound under this name. */
  | (TriggerGuardsIr & { kind: 'event'; name: string; as?: string; where: ExprIr | null })
  | (TriggerGuardsIr & { kind: 'relative'; offset: DurationIr; direction: 'before' | 'after'; field: string; where: ExprIr | null })
  | (TriggerGuardsIr & { kind: 'when'; condition: ExprIr })
  /** `every 2 weeks on monday`: once per period, at the start of working hours of the chosen day, in the account's calendar. */
  | (TriggerGuardsIr & { kind: 'every'; period: CadenceIr; on: CadenceDayIr; where: ExprIr | null });

/**
 * A cadence's period. Periods are counted from a fixed origin so they never drift: months
 * and quarters from January 1970 (`quarter` = Jan/Apr/Jul/Oct), weeks from Monday 1970-01-05.
 */
export interface CadenceIr {
  amount: number;
  unit: 'week' | 'month' | 'quarter';
}

/** The day of its period a cadence fires on; `weekday` is ISO (1 = Monday): the period's first such day. */
export type CadenceDayIr = { kind: 'firstBusinessDay' } | { kind: 'day'; day: number } | { kind: 'weekday'; weekday: number };

/** A `field` holding a list (`list of contact`) stands for each address in it; `param` is a `user` or `contact` parameter. */
export type RecipientIr =
  { kind: 'field'; field: string } | { kind: 'param'; param: string } | { kind: 'role'; name: string } | { kind: 'address'; address: string };

/**
 * `from` of an email: a `user` field (its display name comes from configuration), or an
 * address with an optional display name, as written (`"Acme Success <success@acme.com>"`).
 */
export type SenderIr = { kind: 'field'; field: string } | { kind: 'address'; address: string; name: string | null };

/** Message text: literal pieces and `{expr}` interpolations, in order. */
export type TextIr = Array<string | ExprIr>;

export type AskTypeIr = { type: 'yes/no' | 'text' | 'number' | 'date' } | { type: 'one of'; values: string[] };

/**
 * `optional` and `default` are present only when the source says so, so a v1 task's IR (and
 * its playbook's version hash) stays as it was.
 */
export interface AskIr {
  name: string;
  question: string;
  type: AskTypeIr;
  /** `optional`: a completion may leave it unanswered (the answer stays empty). */
  optional?: true;
  /** `default <literal>`: the answer a completion that leaves it out gets (a date as `YYYY-MM-DD`). */
  default?: string | number | boolean;
}

/**
 * Every step has a stable `id` (its position path in the playbook, e.g. `2`, `2.r0.1`,
 * `3.b1.0`, `3.else.0`, `2.timeout.0`: the same source always gives the same ids) and the
 * source `line` it came from.
 */
interface StepBase {
  id: string;
  line: number;
}

export type StepIr =
  | (StepBase & {
      kind: 'email';
      /** The first (in v1 the only) `to` recipient. */
      to: RecipientIr;
      template: string;
      /**
       * v2 keys, present only when the source gives them, so v1 emails keep their IR and hash:
       * the other `to` recipients, `cc`, `bcc` and `from`. Each `to` address gets its own
       * message (interpreter.ts); `cc` and `bcc` are on each.
       */
      alsoTo?: RecipientIr[];
      cc?: RecipientIr[];
      bcc?: RecipientIr[];
      from?: SenderIr;
      /** Present (true) only for `ignoring contact policy`, so other emails keep their hash. */
      ignoringPolicy?: true;
    })
  | (StepBase & { kind: 'notify'; to: RecipientIr; text: TextIr })
  | (StepBase & {
      kind: 'task';
      /** The task's name: its `as` name, else the step id. `wait for task` and answers use it. */
      task: string;
      title: TextIr;
      assignee: RecipientIr;
      due: DurationIr | null;
      asks: AskIr[];
    })
  | (StepBase & { kind: 'escalate'; to: RecipientIr; severity: Severity; text: TextIr })
  | (StepBase & { kind: 'wait'; duration: DurationIr })
  | (StepBase & { kind: 'waitUntil'; at: ExprIr })
  | (StepBase & {
      kind: 'waitFor';
      target: WaitTargetIr;
      upTo: DurationIr | null;
      rungs: Array<{ after: DurationIr; line: number; body: StepIr[] }>;
      onTimeout: StepIr[] | null;
    })
  | (StepBase & { kind: 'if'; branches: Array<{ condition: ExprIr; line: number; body: StepIr[] }>; else: StepIr[] | null })
  | (StepBase & { kind: 'repeat'; every: DurationIr; atMost: number | null; until: ExprIr | null; body: StepIr[] })
  | (StepBase & { kind: 'set'; field: string; value: ExprIr })
  | (StepBase & { kind: 'webhook'; endpoint: string; fields: Array<{ name: string; value: ExprIr }> })
  /** `with`: the child's parameters in the order written, evaluated once when the child starts; absent without a `with` list (v1). */
  | (StepBase & { kind: 'runPlaybook'; playbook: string; with?: Array<{ name: string; value: ExprIr }> })
  | (StepBase & { kind: 'stage'; stage: string; title: string | null; body: StepIr[] })
  | (StepBase & { kind: 'note'; text: TextIr })
  | (StepBase & { kind: 'stop'; outcome: string | null });

export type WaitTargetIr =
  | SingleWaitTargetIr
  /** `wait for any of`: the first of `of` (in order) to happen ends the wait. */
  | { kind: 'anyOf'; of: SingleWaitTargetIr[] };

export type SingleWaitTargetIr =
  /** `where` (only when written): the first pending event of `name` it holds for, read as `as`. */
  { kind: 'event'; name: string; as: string | null; where?: ExprIr } | { kind: 'task'; task: string } | { kind: 'condition'; condition: ExprIr };

export type LiteralType = 'text' | 'number' | 'date' | 'yes/no';

/**
 * Expressions, with names already resolved by the checker: an account field, a field of an
 * event bound with `as`, or an answer to a task's `ask`. Dates are `YYYY-MM-DD` strings.
 */
export type ExprIr =
  | { op: 'field'; field: string }
  | { op: 'eventField'; event: string; path: string[] }
  | { op: 'answer'; task: string; ask: string }
  /** `params.<name>`: a parameter of the playbook the expression is in. */
  | { op: 'param'; param: string }
  | { op: 'lit'; type: LiteralType; value: string | number | boolean }
  | { op: 'today' }
  | { op: 'compare'; cmp: '=' | '!=' | '<' | '<=' | '>' | '>='; left: ExprIr; right: ExprIr }
  | { op: 'in'; negated: boolean; left: ExprIr; list: ExprIr[] }
  | { op: 'and' | 'or'; left: ExprIr; right: ExprIr }
  | { op: 'not'; operand: ExprIr }
  | { op: 'daysUntil' | 'daysSince' | 'businessDaysSince'; operand: ExprIr }
  | { op: 'offset'; offset: DurationIr; direction: 'before' | 'after'; base: ExprIr }
  /** Arithmetic on numbers; a division by zero is a missing value. */
  | { op: 'arith'; arith: '+' | '-' | '*' | '/'; left: ExprIr; right: ExprIr }
  | { op: 'isEmpty'; negated: boolean; operand: ExprIr };

/** Account data as JSON: a string `id` plus the declared fields. */
export type AccountValue = string | number | boolean | null | AccountListValue;
/** The value of a `list of <type>` field. */
export type AccountListValue = Array<string | number | boolean>;
export interface AccountData {
  id: string;
  [field: string]: AccountValue;
}

/**
 * A workspace's `coverage` declaration, lowered for the store (kept at deploy, read by the
 * `coverage` report). Not part of any playbook's program, so no playbook's version changes.
 */
export interface CoverageIr {
  id: string;
  title: string | null;
  /** `target 95%` as written (95). */
  target: number;
  /** The condition on account fields that picks the population, on the account's local date. */
  population: ExprIr;
  /** The playbook whose runs cover an account. */
  playbook: string;
  /** That playbook's calendar: its time zone gives the account's local date. Null: the default calendar. */
  calendar: CalendarIr | null;
  /**
   * When the condition became true for an account, as dates its date terms give: `days until
   * F <= N` became true on F − N days, `days since F >= N` on F + N. A run counts when it
   * started on or after the latest of them (or is still running); empty: any run counts.
   */
  since: Array<{ field: string; days: number }>;
  /** Where it is declared: the workspace file (relative, `/` separators) and its line. */
  file: string;
  line: number;
}
