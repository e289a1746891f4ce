/**
 * The run's timeline: what happened, when, in which stage and from which source line. It is
 * the stable contract of `playbook simulate --json` and `playbook status --json`; both clocks
 * must produce identical timelines for the same run.
 */
import type { AccountValue, Severity } from '../ir/types.js';

/** Every kind of entry; the API's schema is built from this list, so a new kind reaches it. */
export const TIMELINE_KINDS = [
  'start',
  'stage',
  'email',
  'suppressed',
  'notify',
  'task',
  'escalate',
  'set',
  'webhook',
  'event',
  'task-completed',
  'task-reassigned',
  'task-snoozed',
  'task-closed',
  'timeout',
  'note',
  'stop',
  'exit',
  'complete',
  'pause',
  'resume',
  'cancel',
  'goal-met',
  'goal-missed',
] as const;

export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** How a run ends: `complete`, `stop` (with a label) or `exit`. */
export const RUN_OUTCOMES = ['completed', 'stopped', 'exited'] as const;

export type RunOutcome = (typeof RUN_OUTCOMES)[number];

/** A run's outcome as `simulate --json`, `status --json` and the API report it: `running` until it ends. */
export type ReportedOutcome = 'running' | RunOutcome;

export interface TimelineEntry {
  /** UTC ISO-8601 with milliseconds. */
  at: string;
  kind: TimelineKind;
  /** The run's current stage id. */
  stage: string | null;
  /** Resolved address: email, notify, task assignee, escalate; task-reassigned: the new assignee. */
  to?: string;
  /**
   * Rendered text: email subject, task title, notify/escalate/note text, stage title, event
   * name, stop outcome, `<field> = <value>` for set, endpoint name for webhook, what a
   * timed-out wait waited for, playbook title for start; task-reassigned and task-snoozed:
   * the task's title; task-closed: the reason it was closed with; goal-met and goal-missed:
   * the goal's title (its id when it has none).
   */
  text?: string;
  /** Source line of the step; the playbook's line for entries no step caused (start, complete, exit, inputs). */
  line: number;
  /** Set on entries of a child run (`run playbook`): the child playbook's id. */
  playbook?: string;
  /** escalate */
  severity?: Severity;
  /** task, task-completed, task-reassigned, task-snoozed, task-closed: the task's name. */
  task?: string;
  /** task: due instant, UTC ISO-8601. */
  due?: string;
  /** task-snoozed: until when the task is hidden from its assignee's inbox, UTC ISO-8601. */
  until?: string;
  /** email, suppressed: template name. */
  template?: string;
  /** email: the locale of the localised variant of the template that was sent; absent for the template itself. */
  locale?: string;
  /** email (v2 `cc`, `bcc`, `from`): the copies' addresses and the sender as the step resolved it (`account.csm`'s address, or `Name <address>`). */
  cc?: string[];
  bcc?: string[];
  from?: string;
  /** goal-met, goal-missed: the goal's id (its `text` is the goal's title). */
  goal?: string;
  /** goal-met, goal-missed: the goal's target, a percentage (90 for `target 90%`). */
  target?: number;
  /** goal-met: the business minutes the goal took, from its anchor to its milestone, in the playbook's calendar. */
  took?: number;
  /** set: the field written. */
  field?: string;
  /** event: payload; task-completed: answers; set: the value; webhook: the evaluated fields. */
  data?: Record<string, unknown> | AccountValue;
  /**
   * Who sent the input (the caller's user, else its role; the OS user or `--as` from the CLI):
   * task-completed, task-reassigned, task-snoozed, task-closed, pause, resume, cancel; absent
   * when the caller was not sent.
   */
  by?: string;
}

const DAY_MS = 86_400_000;
/** The date part of the last day formatted: entries come in time order, mostly many per day. */
let lastDay = Number.NaN;
let lastDatePrefix = '';

/** `t` as `YYYY-MM-DDTHH:MM:SS.mmmZ`, like `toISOString` (which is slow enough to show up in a simulation profile). */
export function isoInstant(t: number): string {
  const day = Math.floor(t / DAY_MS);
  if (day !== lastDay) {
    lastDay = day;
    lastDatePrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  const ms = t - day * DAY_MS;
  return `${lastDatePrefix}${pad(Math.floor(ms / 3_600_000), 2)}:${pad(Math.floor(ms / 60_000) % 60, 2)}:${pad(Math.floor(ms / 1000) % 60, 2)}.${pad(ms % 1000, 3)}Z`;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
