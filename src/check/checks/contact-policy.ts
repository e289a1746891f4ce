/**
 * The workspace's `contact policy`: one per workspace, at least one cap, each cap counting
 * whole calendar days, weeks or business days, no two caps over the same period, `when
 * capped` at most once. Warnings: no `when capped` (emails are deferred), a cap a stricter
 * one makes redundant, business days counted in the sending playbooks' different calendars,
 * and `ignoring contact policy` where there is no policy to ignore.
 */
import type { ContactCap, ContactPolicyDecl, PlaybookDecl, Step } from '../../language/ast.js';
import { policyPeriod, type PolicyPeriod } from '../../ir/contact-policy.js';
import type { Accept, CheckRegistry } from '../registry.js';
import { childBlocks } from '../walk-steps.js';

export function contactPolicyChecks(): CheckRegistry {
  let warnedIgnoring = false;
  return {
    contactPolicy: [
      (node, accept, ctx) => {
        const first = ctx.symbols.contactPolicy;
        if (first && first !== node) {
          accept('PB2130', node.span, 'the workspace declares `contact policy` twice', {
            related: [{ message: 'first declared here', span: first.span }],
            hint: 'put every cap in one `contact policy` block',
          });
          return;
        }
        if (node.caps.length === 0)
          accept('PB2134', node.span, '`contact policy` has no cap', { hint: 'add a cap such as `at most 2 emails per contact per 5 business days`' });
        const [once, again] = node.whenCapped;
        if (again && once) accept('PB2132', again.span, '`when capped` is given twice', { related: [{ message: 'first given here', span: once.span }] });
        if (!once && node.caps.length > 0)
          accept('PB3070', node.span, '`contact policy` does not say `when capped`: a capped email waits until the caps allow it (`defer`)', {
            hint: 'add `when capped defer` or `when capped skip`',
          });
        const periods = new Map<string, { cap: ContactCap; period: PolicyPeriod }>();
        const valid: Array<{ cap: ContactCap; period: PolicyPeriod }> = [];
        for (const cap of node.caps) {
          if (cap.count === 0) {
            accept('PB2135', cap.span, 'a cap of 0 emails lets no email through', {
              hint: 'to stop all email to a contact, add it to the suppression list (`playbook suppressions add`)',
            });
            continue;
          }
          const period = policyPeriod(cap.period);
          if (!period) {
            accept('PB2131', cap.period.span, `a cap counts calendar days, weeks or business days, not ${cap.period.unit}s`, {
              hint: 'write e.g. `per day`, `per 7 days`, `per week` or `per 5 business days`',
            });
            continue;
          }
          const key = `${period.days} ${period.business ? 'business' : 'calendar'}`;
          const earlier = periods.get(key);
          if (earlier) {
            accept('PB2133', cap.span, 'two caps count over the same period', {
              related: [{ message: 'the other cap', span: earlier.cap.span }],
              hint: 'keep the one with the lower number',
            });
            continue;
          }
          periods.set(key, { cap, period });
          valid.push({ cap, period });
        }
        for (const a of valid) {
          const stricter = valid.find((b) => b !== a && b.cap.count <= a.cap.count && covers(b.period, a.period));
          if (stricter)
            accept('PB3072', a.cap.span, 'this cap can never be reached: a stricter cap allows fewer emails over a period at least as long', {
              related: [{ message: 'the stricter cap', span: stricter.cap.span }],
            });
        }
        if (valid.some((v) => v.period.business))
          warnCalendars(
            node,
            accept,
            [...ctx.symbols.playbooks.values()].map((p) => p.decl),
          );
      },
    ],
    step: [
      (node, accept, ctx) => {
        if (node.kind !== 'email' || !node.ignoringPolicy || ctx.symbols.contactPolicy || warnedIgnoring) return;
        warnedIgnoring = true;
        accept('PB3071', node.ignoringPolicy.span, 'the workspace has no `contact policy`, so there is nothing to ignore', {
          hint: 'declare one (`contact policy` then `  at most 2 emails per contact per 5 business days`) or drop `ignoring contact policy`',
        });
      },
    ],
  };
}

/** Whether a window of `outer` always holds a window of `inner` (N business days span at least N calendar days). */
function covers(outer: PolicyPeriod, inner: PolicyPeriod): boolean {
  if (outer.business === inner.business) return outer.days >= inner.days;
  return outer.business && outer.days >= inner.days;
}

function warnCalendars(node: ContactPolicyDecl, accept: Accept, playbooks: PlaybookDecl[]): void {
  const calendars = new Set(
    playbooks
      .filter((p) => sendsEmail(p))
      .map((p) => p.header.find((h): h is Extract<typeof h, { kind: 'calendar' }> => h.kind === 'calendar')?.id.name ?? null),
  );
  if (calendars.size <= 1) return;
  const named = [...calendars].map((c) => (c === null ? 'none (Monday–Friday in UTC)' : `\`${c}\``)).join(', ');
  accept(
    'PB3073',
    node.span,
    `business days of the contact policy are counted in the calendar of the playbook sending, and the playbooks that email use different ones: ${named}`,
    {
      hint: 'give every playbook that emails customers the same `calendar`',
    },
  );
}

function sendsEmail(playbook: PlaybookDecl): boolean {
  const walk = (steps: Step[]): boolean => steps.some((s) => s.kind === 'email' || childBlocks(s).some((b) => walk(b.steps)));
  return walk(playbook.body);
}
