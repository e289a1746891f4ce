/**
 * Scenario files as the runner uses them, after loading and validation: every `<when>` is
 * parsed, every account path read, every item knows its source line for reports.
 * The on-disk YAML format is described in docs/simulate-and-test.md.
 */
import type { DurationIr } from '../ir/types.js';
import type { GoalState } from '../runtime/run-state.js';
import type { SimulateResult, When } from '../simulate/simulate.js';
import type { SourcedInput } from '../simulate/inputs.js';

/** Where, on the playbook calendar's local clock, a touchpoint happens. */
export type LocalPeriod = 'weekend' | 'non-working day' | 'outside working hours';

/** An expected (or forbidden) timeline entry: every given key must match. */
export interface Touchpoint {
  kind?: string;
  /** The playbook the entry belongs to: the one under test, or a child it runs. */
  playbook?: string;
  stage?: string;
  to?: string;
  text?: string;
  textContains?: string;
  /** The exact instant. */
  at?: number;
  /** The exact instant, as an offset from the scenario's start in the playbook's calendar. */
  after?: DurationIr;
  on?: LocalPeriod;
  /** Line in the scenario file, when known. */
  line: number | null;
}

export interface Expectation {
  /** With a trigger: whether its event starts the run; absent: it must. */
  started?: boolean;
  outcome?: SimulateResult['outcome'];
  label?: string;
  /** How many inputs may be rejected; any other number fails the scenario. */
  rejected: number;
  /** Matched in order, as a subsequence of the timeline. */
  timeline: Touchpoint[];
  /** Must match no entry. */
  absent: Touchpoint[];
  /** The state each goal named must be in at the end of the scenario: met and missed by their entries, pending without one. */
  goals: ExpectedGoal[];
}

export interface ExpectedGoal {
  goal: string;
  state: GoalState;
  line: number | null;
}

export interface Scenario {
  name: string;
  line: number | null;
  /** Account JSON (shared account merged with the scenario's overrides), not yet validated. */
  account: Record<string, unknown>;
  start: number;
  until?: When;
  /** The event that starts the run at `start` (`trigger on event … as x` binds its payload). */
  trigger?: { name: string; payload: Record<string, unknown> };
  inputs: SourcedInput[];
  expect: Expectation;
}

export interface ScenarioFile {
  /** As given or found (relative to the current directory). */
  path: string;
  playbook: string;
  /** Folder of the playbooks under test. */
  workspace: string;
  scenarios: Scenario[];
}
