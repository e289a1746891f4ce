/**
 * A run frozen for Temporal's continue-as-new, at a repeat round boundary or wherever its
 * main branch is blocked: where it is (the container steps from the entry playbook's body
 * down to the repeat or the blocked step) and its state. Plain JSON;
 * `Interpreter.run(fx, snapshot)` resumes it exactly, emitting nothing twice.
 */
import type { Value } from './expr.js';
import type { RunStateData } from './run-state.js';

export type PositionFrame =
  /** Inside a stage's body. */
  | { node: string; kind: 'stage' }
  /**
   * Inside a child playbook; `stage` is the parent's stage, restored when the child ends;
   * `params` the values its `run playbook … with` gave (absent without a `with` list).
   */
  | { node: string; kind: 'child'; stage: string | null; params?: Record<string, Value> }
  /** Inside an `if` branch: its index, `branches.length` for `else`. */
  | { node: string; kind: 'branch'; branch: number }
  /** Inside a wait's `on timeout` body. */
  | { node: string; kind: 'timeout' }
  /**
   * In a repeat's round number `round` (1-based), which started at `roundStart`. As the last
   * frame: that round's body has finished and the loop is about to wait for the next round.
   */
  | { node: string; kind: 'round'; round: number; roundStart: number }
  /**
   * As the last frame, blocked in a `wait for` that started at `since` and has fired `fired`
   * rungs; a condition target was last evaluated at `checkedAt`.
   */
  | { node: string; kind: 'waiting'; since: number; fired: number; checkedAt: number }
  /**
   * As the last frame, in a `wait`, `wait until` or an email's wait for the send window,
   * until `until`; an email also keeps the recipient it resolved before waiting, and `decided`
   * when it waits for the contact policy's deferral (decided already: it goes at `until`); a v2
   * email's deferral also keeps the addresses after `to` still to go (`rest`).
   */
  | { node: string; kind: 'sleeping'; until: number; to?: string; decided?: true; rest?: string[] }
  /** As the last frame, held before this step while the run is paused. */
  | { node: string; kind: 'paused' };

export interface RunSnapshot {
  /** The main branch's playbook time when the run was frozen (epoch ms). */
  at: number;
  position: PositionFrame[];
  state: RunStateData;
}
