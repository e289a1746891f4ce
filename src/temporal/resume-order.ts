/**
 * The order in which blocked branches resume, made the simulator's. On the virtual clock,
 * actions complete at once (in the order they started) before time moves, and timers due at
 * the same instant fire one at a time in the order they were set. On Temporal, timers due
 * together arrive in one activation in the server's order, and an activity's result arrives
 * some real time after it started, possibly after timers of the same playbook instant.
 *
 * So a branch whose timer fired, or whose action completed, waits for its turn: a timer for
 * every action in flight and every timer ahead of it (earlier instant, or same instant and
 * set earlier); an action for the actions started before it. Waiting for a slow action (an
 * activity retrying) is bounded by `ACTION_GRACE_MS` of server time, after which the branch
 * goes on: one stuck email must not hold escalations back. Workflow code only.
 */
import { condition } from '@temporalio/workflow';

/** How long a resumed branch waits for actions still in flight before it goes on without them. */
export const ACTION_GRACE_MS = 60_000;

export interface Ticket {
  kind: 'timer' | 'action';
  /** Timer: the instant it is set for. Action: unused (0). */
  at: number;
  seq: number;
}

export class ResumeOrder {
  private seq = 0;
  private readonly outstanding = new Set<Ticket>();

  timer(at: number): Ticket {
    return this.take('timer', at);
  }

  action(): Ticket {
    return this.take('action', 0);
  }

  /** The ticket's timer fired or action completed: resolves when it is this ticket's turn. */
  async turn(ticket: Ticket): Promise<void> {
    let awaitActions = true;
    for (;;) {
      const actions = awaitActions && this.actionsAhead(ticket);
      if (!actions && !this.timersAhead(ticket)) return;
      if (actions) {
        if (!(await condition(() => !this.actionsAhead(ticket), ACTION_GRACE_MS))) awaitActions = false;
      } else {
        await condition(() => !this.timersAhead(ticket) || (awaitActions && this.actionsAhead(ticket)));
      }
    }
  }

  /** The branch resumed, or its wait ended otherwise (satisfied, cancelled). */
  done(ticket: Ticket): void {
    this.outstanding.delete(ticket);
  }

  private take(kind: Ticket['kind'], at: number): Ticket {
    const ticket: Ticket = { kind, at, seq: this.seq++ };
    this.outstanding.add(ticket);
    return ticket;
  }

  private actionsAhead(ticket: Ticket): boolean {
    for (const other of this.outstanding) {
      if (other.kind === 'action' && (ticket.kind === 'timer' || other.seq < ticket.seq)) return true;
    }
    return false;
  }

  private timersAhead(ticket: Ticket): boolean {
    if (ticket.kind === 'action') return false;
    for (const other of this.outstanding) {
      if (other.kind === 'timer' && (other.at < ticket.at || (other.at === ticket.at && other.seq < ticket.seq))) return true;
    }
    return false;
  }
}
