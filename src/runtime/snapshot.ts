/**
 * A run frozen at a repeat round boundary, for Temporal's continue-as-new: where it is (the
 * container steps from the entry playbook's body down to the repeat) and its state. Plain
 * JSON; `Interpreter.run(fx, snapshot)` resumes it exactly, emitting nothing twice.
 */
import type { RunStateData } from './run-state.js';

export type PositionFrame =
  /** Inside a stage's body. */
  | { node: string; kind: 'stage' }
  /** Inside a child playbook; `stage` is the parent's stage, restored when the child ends. */
  | { node: string; kind: 'child'; stage: string | null }
  /** Inside an `if` branch: its index, `branches.length` for `else`. */
  | { node: string; kind: 'branch'; branch: number }
  /** Inside a wait's `on timeout` body. */
  | { node: string; kind: 'timeout' }
  /**
   * In a repeat's round number `round` (1-based), which started at `roundStart`. As the last
   * frame: that round's body has finished and the loop is about to wait for the next round.
   */
  | { node: string; kind: 'round'; round: number; roundStart: number };

export interface RunSnapshot {
  /** The instant the run was frozen (epoch ms). */
  at: number;
  position: PositionFrame[];
  state: RunStateData;
}
