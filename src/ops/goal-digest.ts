/**
 * Warnings before a promise breaks (docs/kpis.md, "Goal digests and attainment alerts"): the
 * goal digest workflow's activities (src/temporal/goal-digest-contract.ts).
 *
 * - A **daily digest** per account calendar, sent at its start of working hours on its
 *   working days (not on weekends or holidays): to each manager, the goals at risk
 *   (src/reports/goals-at-risk.ts) and those missed since the calendar's previous start of
 *   working hours in runs of their accounts; to CS Ops, all of them. A manager is the
 *   account's `csm_manager` (the field the escalation ladders escalate to); CS Ops is
 *   `delivery.alertTo` (already told of every delivery that fails for good). A digest is
 *   written to `goal_digests` before it is sent, then sent through the delivery ledger under
 *   `goal-digest:<calendar>:<day>:<recipient>`, so a retried activity sends each recipient's
 *   once, with what it said the first time. Recipients with nothing to read get none.
 * - An **attainment alert** to the playbook's `owner` (CS Ops without one) when a goal's
 *   attainment over the last 30 days (the `goals` report) falls below its target: once per
 *   drop, again only after it recovered and fell again (`goal_alerts`).
 *
 * Both go by the recipient's notification route (email, or their chat hook), the way notices
 * and escalations go; email carries a text and an HTML part, with links to each run in the console.
 */
import { createHash } from 'node:crypto';
import { runAddressOf, runPathOf } from '../api/run-path.js';
import { formatLocal, localDate, nextWorkdayStart, previousWorkdayStart, type ResolvedCalendar } from '../calendar/index.js';
import { consoleBaseUrl } from '../config/console-url.js';
import type { PlaybookConfig } from '../config/types.js';
import { emailHtml } from '../outreach/email-html.js';
import { storeCalendars } from '../reports/calendars.js';
import { goalsAtRisk, type AtRiskGoal } from '../reports/goals-at-risk.js';
import { runReport } from '../reports/index.js';
import type { CalendarLookup } from '../reports/types.js';
import { PermanentDeliveryError } from '../sinks/delivery-error.js';
import type { DeliveryLedger } from '../sinks/delivery-ledger.js';
import type { EmailSender } from '../sinks/email.js';
import type { Store } from '../store/connect.js';
import {
  accountData,
  alertNotified,
  digestAttemptFailed,
  digestSettled,
  goalOwner,
  goalsMissedBetween,
  keepDigests,
  pendingDigests,
  recordAttainment,
  runsWithGoals,
  type DigestRun,
  type GoalDigestRow,
  type MissedGoal,
} from '../store/goal-digests.js';
import { routeFor, sendNotice } from '../temporal/activities/notifier.js';
import { resolveRecipient } from '../temporal/activities/recipients.js';
import type { DigestPlan, GoalDigestActivities } from '../temporal/goal-digest-contract.js';

/** The account field naming the manager a digest goes to. */
export const MANAGER_FIELD = 'csm_manager';
/** How far back a missed goal may still be news: longer than any run of non-working days. */
const MISSED_HORIZON_MS = 31 * 86_400_000;
const ATTAINMENT_DAYS = 30;
const DAY_MS = 86_400_000;

export interface GoalDigestDeps {
  config: PlaybookConfig;
  store: Store;
  /** The worker's email sender (SMTP or outbox) and the shared delivery ledger. */
  email: EmailSender;
  ledger: DeliveryLedger;
  now?: () => number;
  /** Where a digest or alert that cannot be delivered at all is told. */
  log?: (message: string) => void;
}

/** `<id>@<zone>#<hash of days, hours, holidays>`: accounts whose calendars agree share a digest. */
export function calendarKey(cal: ResolvedCalendar): string {
  const hash = createHash('sha256')
    .update(JSON.stringify([cal.workingDays, cal.workingHours, cal.holidays]))
    .digest('hex')
    .slice(0, 8);
  return `${cal.id ?? 'default'}@${cal.timezone}#${hash}`;
}

export function createGoalDigestActivities(deps: GoalDigestDeps): GoalDigestActivities {
  const { config, store } = deps;
  const now = deps.now ?? Date.now;
  const log = deps.log ?? ((m: string) => console.error(m));
  const csOps = config.delivery.alertTo;
  const base = consoleBaseUrl(config);

  /** The runs the digests may speak of around `at`, with their calendars. */
  async function calendarsAround(at: number): Promise<{ runs: DigestRun[]; lookup: CalendarLookup; keyOf: (run: RunRef) => string }> {
    const runs = await runsWithGoals(store, new Date(at - MISSED_HORIZON_MS));
    const rows = runs.map(row);
    const lookup = await storeCalendars(store, new Date(at - MISSED_HORIZON_MS), new Date(at))(rows);
    const keys = new Map<string, string>();
    const keyOf = (run: RunRef) => {
      const id = `${run.playbook} ${run.version} ${run.accountId}`;
      let key = keys.get(id);
      if (key === undefined) keys.set(id, (key = calendarKey(lookup.of(row(run)))));
      return key;
    };
    return { runs, lookup, keyOf };
  }

  /** Sends one digest once (the ledger's key); the error when it must be tried again, else null. */
  async function deliver(digest: GoalDigestRow): Promise<string | null> {
    const key = `goal-digest:${digest.calendar}:${digest.day}:${digest.recipient}`;
    try {
      await deps.ledger.once(key, () => send(key, digest.recipient, digest.subject, digest.body, 'goal digest'), { channel: 'notify' });
      await digestSettled(store, digest, { sentAt: new Date(now()) });
      return null;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (e instanceof PermanentDeliveryError) {
        await digestSettled(store, digest, { error: message });
        log(`goal digest to ${digest.recipient} (${digest.calendar}, ${digest.day}) cannot be delivered: ${message}`);
        return null;
      }
      await digestAttemptFailed(store, digest, message);
      return message;
    }
  }

  function send(key: string, recipient: string, subject: string, body: string, context: string) {
    const to = resolveRecipient(recipient, config.roles);
    const route = routeFor(config.notify, to);
    if (route.kind === 'slack') return sendNotice(route, { key, to, text: `${subject}\n\n${body}`, context }, deps.email, config.email.from);
    return deps.email.send({ key, from: config.email.from, to, subject, text: body, html: emailHtml(body, null) });
  }

  return {
    async planGoalDigests({ after }) {
      const { runs, lookup, keyOf } = await calendarsAround(after);
      let plan: DigestPlan | null = null;
      const seen = new Set<string>();
      for (const run of runs) {
        const key = keyOf(run);
        if (seen.has(key)) continue;
        seen.add(key);
        const at = nextWorkdayStart(after, lookup.of(row(run)));
        if (plan === null || at < plan.at) plan = { at, calendars: [key] };
        else if (at === plan.at) plan.calendars.push(key);
      }
      plan?.calendars.sort();
      return plan;
    },

    async sendGoalDigests({ at, calendars }) {
      const { runs, lookup, keyOf } = await calendarsAround(at);
      const wanted = new Set(calendars);
      const calendarOf = new Map<string, ResolvedCalendar>();
      for (const run of runs) if (wanted.has(keyOf(run))) calendarOf.set(keyOf(run), lookup.of(row(run)));
      const asOf = new Date(at);
      const atRisk = (await goalsAtRisk(store, asOf, async () => lookup)).map((g) => ({ ...g, key: keyOf(g) }));
      const since = new Map([...calendarOf].map(([key, cal]) => [key, previousWorkdayStart(at, cal)]));
      const earliest = Math.min(at, ...since.values());
      const missed = (await goalsMissedBetween(store, new Date(earliest), asOf))
        .map((g) => ({ ...g, key: keyOf(g) }))
        .filter((g) => g.missedAt >= (since.get(g.key) ?? at));
      const accounts = await accountData(
        store,
        [...atRisk, ...missed].map((g) => g.accountId),
      );
      const digests: Array<Pick<GoalDigestRow, 'calendar' | 'day' | 'recipient' | 'at' | 'subject' | 'body'>> = [];
      for (const [key, cal] of [...calendarOf].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const items = { atRisk: atRisk.filter((g) => g.key === key), missed: missed.filter((g) => g.key === key) };
        const day = localDate(at, cal);
        for (const [recipient, as, mine] of recipientsOf(items, accounts, csOps)) {
          const { subject, body } = composeDigest({ at, calendar: cal, as, ...mine }, accounts, base);
          digests.push({ calendar: key, day, recipient, at: asOf, subject, body });
        }
      }
      await keepDigests(store, digests, new Date(now()));
      const failures: string[] = [];
      for (const key of calendars) {
        const cal = calendarOf.get(key);
        if (cal === undefined) continue;
        for (const digest of await pendingDigests(store, key, localDate(at, cal))) {
          const error = await deliver(digest);
          if (error !== null) failures.push(error);
        }
      }
      // Temporal tries again; the digests sent already are not sent twice.
      if (failures.length > 0) {
        const n = failures.length;
        throw new Error(`${n} goal digest${n === 1 ? '' : 's'} could not be sent yet: ${failures[0]}`);
      }
    },

    async checkGoalAttainment({ at }) {
      const to = new Date(at);
      const report = await runReport(store, 'goals', { from: new Date(at - ATTAINMENT_DAYS * DAY_MS), to, asOf: to, by: 'playbook' });
      let failed: string | null = null;
      for (const r of report.rows) {
        const playbook = String(r.playbook);
        const goal = String(r.goal);
        if (typeof r.attainmentPercent !== 'number' || typeof r.target !== 'number') continue;
        const alert = await recordAttainment(store, { playbook, goal, attainment: r.attainmentPercent, target: r.target }, to);
        if (alert.notified >= alert.drops) continue;
        // Recovered before its owner was told: nothing to tell now.
        if (!alert.below) {
          await alertNotified(store, alert, alert.drops);
          continue;
        }
        const owner = (await goalOwner(store, playbook)) ?? csOps;
        if (owner === null) {
          log(`goal ${goal} of ${playbook} fell below its target, but the playbook has no owner and delivery.alertTo is not configured`);
          await alertNotified(store, alert, alert.drops);
          continue;
        }
        const key = `goal-attainment:${playbook}:${goal}:${alert.drops}`;
        const text = attainmentText(
          { playbook, goal, text: String(r.text ?? goal), met: Number(r.met), missed: Number(r.missed), attainment: r.attainmentPercent, target: r.target },
          base,
        );
        try {
          await deps.ledger.once(key, () => send(key, owner, text.split('\n')[0]!, text, `playbook ${playbook}`), { channel: 'notify' });
          await alertNotified(store, alert, alert.drops);
        } catch (e) {
          const message = e instanceof Error ? e.message : String(e);
          if (!(e instanceof PermanentDeliveryError)) {
            failed = message;
            continue;
          }
          log(`attainment alert for goal ${goal} of ${playbook} to ${owner} cannot be delivered: ${message}`);
          await alertNotified(store, alert, alert.drops);
        }
      }
      if (failed !== null) throw new Error(`an attainment alert could not be sent yet: ${failed}`);
    },
  };
}

interface RunRef {
  playbook: string;
  version: string;
  accountId: string;
}

function row(run: RunRef) {
  return { playbook_id: run.playbook, playbook_version: run.version, account_id: run.accountId };
}

type Keyed<T> = T & { key: string };
interface DigestItems {
  atRisk: Array<Keyed<AtRiskGoal>>;
  missed: Array<Keyed<MissedGoal>>;
}

/** Each recipient with what their digest holds: a manager their accounts' goals, CS Ops all; nobody with nothing. */
function recipientsOf(
  items: DigestItems,
  accounts: Map<string, Record<string, unknown>>,
  csOps: string | null,
): Array<[string, 'manager' | 'cs-ops', DigestItems]> {
  const byManager = new Map<string, DigestItems>();
  const managerOf = (accountId: string) => {
    const value = accounts.get(accountId)?.[MANAGER_FIELD];
    return typeof value === 'string' && value !== '' ? value : null;
  };
  for (const kind of ['atRisk', 'missed'] as const) {
    for (const item of items[kind]) {
      const manager = managerOf(item.accountId);
      if (manager === null) continue;
      const mine = byManager.get(manager) ?? { atRisk: [], missed: [] };
      (mine[kind] as Array<typeof item>).push(item);
      byManager.set(manager, mine);
    }
  }
  const out: Array<[string, 'manager' | 'cs-ops', DigestItems]> = [...byManager].sort(([a], [b]) => (a < b ? -1 : 1)).map(([m, mine]) => [m, 'manager', mine]);
  const any = items.atRisk.length + items.missed.length > 0;
  if (csOps !== null && any) {
    const existing = out.find(([r]) => r === csOps);
    if (existing) existing[2] = items;
    else out.push([csOps, 'cs-ops', items]);
  }
  return out;
}

/** A digest's subject and Markdown body (read as plain text too). */
export function composeDigest(
  digest: { at: number; calendar: ResolvedCalendar; as: 'manager' | 'cs-ops' } & DigestItems,
  accounts: Map<string, Record<string, unknown>>,
  base: string,
): { subject: string; body: string } {
  const { at, calendar } = digest;
  const day = formatLocal(at, calendar).slice(0, 14);
  const subject = `Goals: ${digest.atRisk.length} at risk, ${digest.missed.length} newly missed (${day}, ${calendar.timezone})`;
  const accountName = (id: string) => {
    const name = accounts.get(id)?.name;
    return typeof name === 'string' && name !== '' ? `${name} (${id})` : id;
  };
  const link = (g: { playbook: string; accountId: string; workflowId: string }) => runPathOf(`${base}/runs`, runAddressOf(g));
  const lines = [`# Goal digest for ${day}, ${calendar.timezone}`, ''];
  if (digest.atRisk.length > 0) {
    lines.push(`## At risk: less than 20% of the window left (${digest.atRisk.length})`, '');
    for (const g of digest.atRisk) {
      lines.push(`- **${g.text}** (target ${g.target}%), ${g.playbook}, ${accountName(g.accountId)}`);
      lines.push(`  due ${formatLocal(g.deadline, calendar)}, ${Math.round(g.left * 100)}% of its window left`);
      lines.push(`  ${link(g)}`);
    }
    lines.push('');
  }
  if (digest.missed.length > 0) {
    lines.push(`## Missed since the last digest (${digest.missed.length})`, '');
    for (const g of digest.missed) {
      lines.push(`- **${g.text}** (target ${g.target}%), ${g.playbook}, ${accountName(g.accountId)}`);
      lines.push(`  missed ${formatLocal(g.missedAt, calendar)}`);
      lines.push(`  ${link(g)}`);
    }
    lines.push('');
  }
  const why = digest.as === 'cs-ops' ? 'as CS Ops (delivery.alertTo), for every account' : `as the manager (account.${MANAGER_FIELD}) of these accounts`;
  lines.push('--', `You get this digest ${why}, at the start of working hours of the accounts' calendar.`, '');
  return { subject, body: lines.join('\n') };
}

function attainmentText(
  g: { playbook: string; goal: string; text: string; met: number; missed: number; attainment: number; target: number },
  base: string,
): string {
  return [
    `Goal "${g.text}" of ${g.playbook} is below its target: ${g.attainment}% over the last ${ATTAINMENT_DAYS} days, target ${g.target}%`,
    '',
    `${g.met} met, ${g.missed} missed (goal ${g.goal}). You are told once; again only if it recovers and falls below again.`,
    `${base}/playbooks/${encodeURIComponent(g.playbook)}`,
    '',
  ].join('\n');
}
