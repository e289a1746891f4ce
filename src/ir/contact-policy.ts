/**
 * The contact policy in the IR, and how a cap's period is counted: whole calendar days
 * (`per week` is 7 days) or whole business days. A cap in other units is a check error
 * (PB2131), so `policyPeriod` answers null for it.
 *
 * No runtime imports beyond types: the workflow bundle reads these types.
 */
import type { CappedAction, ContactPolicyDecl, Duration } from '../language/ast.js';

export type { CappedAction };

/** A cap's period: `days` calendar days, or `days` business days of the sending run's calendar. */
export interface PolicyPeriod {
  days: number;
  business: boolean;
}

export interface ContactCapIr extends PolicyPeriod {
  /** At most this many customer-facing emails per contact in any window of the period. */
  count: number;
}

/** `contact policy` of the workspace, in the program of every playbook whose emails it governs. */
export interface ContactPolicyIr {
  /** Sorted by (business, days). */
  caps: ContactCapIr[];
  /** What a capped email does: wait until the caps allow it, or not go out (`suppressed`). */
  whenCapped: CappedAction;
}

export function policyPeriod(period: Pick<Duration, 'amount' | 'unit'>): PolicyPeriod | null {
  switch (period.unit) {
    case 'day':
      return { days: period.amount, business: false };
    case 'week':
      return { days: 7 * period.amount, business: false };
    case 'business day':
      return { days: period.amount, business: true };
    default:
      return null;
  }
}

/** Precondition: checked without errors (every cap has a valid period). */
export function lowerContactPolicy(decl: ContactPolicyDecl): ContactPolicyIr {
  const caps = decl.caps
    .map((cap) => ({ count: cap.count, ...policyPeriod(cap.period)! }))
    .sort((a, b) => Number(a.business) - Number(b.business) || a.days - b.days);
  return { caps, whenCapped: decl.whenCapped[0]?.action ?? 'defer' };
}
