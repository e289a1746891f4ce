/**
 * The human form of `playbook accounts show`: the account's data, its open runs, the planned
 * firings of date triggers, the last evaluation of `when` triggers and the recent trigger
 * log, in aligned columns like `playbook status`. Times are UTC. Triggers are shown as the
 * line that declares them when the deployed playbook still has them. With a store, the
 * trigger log (refused manual starts included) and the recent events come from it. Account
 * text is shown escaped (`forTerminal`).
 */
import { describeTrigger } from '../ir/describe-trigger.js';
import type { AccountValue } from '../ir/types.js';
import { formatUtc } from '../calendar/index.js';
import { alignColumns } from '../simulate/format.js';
import type { StoredAccountEvent, StoredTrigger } from '../store/schema.js';
import type { AccountState, TriggerRecord } from '../temporal/account-contract.js';
import type { DeployedPlaybook } from '../temporal/registry-contract.js';
import { terminalLines } from '../util/terminal-text.js';

/** The words for trigger `index` of `playbook`. */
export type TriggerNamer = (playbook: string, index: number) => string;

/** Names triggers by their declaration in the deployed playbooks, else by their number (`trigger #2`). */
export function deployedTriggerNamer(playbooks: DeployedPlaybook[]): TriggerNamer {
  const byId = new Map(playbooks.map((p) => [p.id, p.triggers]));
  return (playbook, index) => {
    const trigger = byId.get(playbook)?.[index];
    return trigger === undefined ? `trigger #${index + 1}` : describeTrigger(trigger);
  };
}

/** How many trigger log entries the human form shows; `--json` has them all. */
export const RECENT_TRIGGERS = 10;

/** What the store holds of the account, newest first: its `RECENT_TRIGGERS` latest trigger log entries and events. */
export interface StoredActivity {
  triggers: StoredTrigger[];
  events: StoredAccountEvent[];
}

export function formatAccount(state: AccountState, nameTrigger: TriggerNamer = deployedTriggerNamer([]), stored?: StoredActivity): string {
  const { data, openRuns, planned, conditions, triggerLog, endedRuns, alerts } = state;
  const fields = Object.entries(data).filter(([field]) => field !== 'id');
  const plannedRows = planned.map((p) => [formatUtc(Date.parse(p.fireAt)), p.playbook, nameTrigger(p.playbook, p.trigger), p.date]);
  const lines = [
    `account ${state.accountId}`,
    ...section(
      'data',
      fields.map(([field, value]) => [field, showValue(value)]),
    ),
    ...section(
      'open runs',
      openRuns.map((run) => [run]),
    ),
    ...section('planned date triggers', withTitles(['FIRES AT', 'PLAYBOOK', 'TRIGGER', 'DATE'], plannedRows)),
    ...section(
      'when conditions',
      Object.entries(conditions).map(([key, holds]) => [...conditionName(key, nameTrigger), holds ? 'true' : 'false']),
    ),
    ...(stored === undefined ? recentTriggers(triggerLog) : storedSections(stored)),
    // Shown only when there is something to say: runs that ended other than by completing, and alerts.
    ...(endedRuns.length === 0
      ? []
      : section(
          'ended runs',
          withTitles(
            ['AT', 'RUN', 'STATUS'],
            endedRuns.map((r) => [formatUtc(Date.parse(r.at)), r.workflowId, r.status.toLowerCase()]),
          ),
        )),
    ...(alerts.length === 0
      ? []
      : section(
          'alerts',
          alerts.slice(-RECENT_TRIGGERS).map((a) => [formatUtc(Date.parse(a.at)), a.message]),
        )),
  ];
  return terminalLines(lines);
}

/** The `recent triggers:` section alone (the demo shows it per account): what fired, what came of it, which run. */
export function recentTriggers(triggerLog: TriggerRecord[]): string[] {
  const recent = triggerLog.slice(-RECENT_TRIGGERS);
  const title = recent.length < triggerLog.length ? `recent triggers (last ${recent.length} of ${triggerLog.length})` : 'recent triggers';
  return section(title, withTitles(['AT', 'PLAYBOOK', 'KIND', 'DETAIL', 'OUTCOME', 'RUN'], recent.map(triggerRow)));
}

/** The trigger log and the events from the store, oldest of the recent ones first, like the entity's log. */
function storedSections({ triggers, events }: StoredActivity): string[] {
  const triggerRows = [...triggers]
    .reverse()
    .map((t) => [formatUtc(Date.parse(t.at)), t.playbook, t.kind, t.detail, triggerOutcomeText(t), t.error ?? t.workflowId ?? '-']);
  const eventRows = [...events].reverse().map((e) => {
    const fired = e.triggers.map((t) => `${t.playbook} ${t.outcome === 'alreadyOpen' ? 'already open' : t.outcome}`);
    const reached = e.reachedRuns.length === 0 ? '-' : e.reachedRuns.join(', ');
    return [formatUtc(Date.parse(e.receivedAt)), e.name, e.source, e.outcome, reached, fired.length === 0 ? '-' : fired.join(', ')];
  });
  return [
    ...section('recent triggers (from the store)', withTitles(['AT', 'PLAYBOOK', 'KIND', 'DETAIL', 'OUTCOME', 'RUN'], triggerRows)),
    ...section('recent events (from the store)', withTitles(['RECEIVED', 'EVENT', 'FROM', 'OUTCOME', 'REACHED', 'FIRED'], eventRows)),
  ];
}

/** `title:` then the rows aligned and indented, or `none`. */
function section(title: string, rows: string[][]): string[] {
  return [`${title}:`, ...(rows.length === 0 ? ['none'] : alignColumns(rows)).map((line) => `  ${line}`)];
}

/** A table with its column titles, or no rows at all when it is empty. */
function withTitles(titles: string[], rows: string[][]): string[][] {
  return rows.length === 0 ? [] : [titles, ...rows];
}

function triggerRow(record: TriggerRecord): string[] {
  return [formatUtc(Date.parse(record.at)), record.playbook, record.kind, record.detail, triggerOutcomeText(record), record.error ?? record.workflowId ?? '-'];
}

/**
 * What came of a firing in words, with what the enrollment throttle did: `already open`,
 * `queued by the enrollment throttle (2 per day), position 3`, `started from the throttle queue (…)`.
 */
export function triggerOutcomeText({ outcome, note }: { outcome: TriggerRecord['outcome']; note?: string | null | undefined }): string {
  const words = outcome === 'alreadyOpen' ? 'already open' : outcome;
  return note === undefined || note === null ? words : `${words} ${note}`;
}

/** `<playbook>#<index>` as the playbook and the trigger's words. */
function conditionName(key: string, nameTrigger: TriggerNamer): [string, string] {
  const at = key.lastIndexOf('#');
  const index = Number(key.slice(at + 1));
  return at < 0 || !Number.isInteger(index) ? [key, ''] : [key.slice(0, at), nameTrigger(key.slice(0, at), index)];
}

function showValue(value: AccountValue): string {
  if (value === null) return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}
