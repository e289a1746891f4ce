/**
 * `playbook disable` / `enable` and the API's: switch a deployed playbook off or on in the
 * store, then tell the account entities the same way a deploy does (`triggersChanged`, marked
 * `switched`), so they re-read the triggers with the switches. While disabled no trigger and
 * no manual start starts a run of it; open runs go on, or are paused (`pauseRuns`) with the
 * runs' own pause, and `enable` resumes exactly the runs its disable paused.
 */
import type { Client } from '@temporalio/client';
import { UserError } from '../errors.js';
import type { Store } from '../store/connect.js';
import { playbookSwitchOf, playbookSwitches, setPlaybookSwitch, type PlaybookSwitch } from '../store/playbook-switches.js';
import { listRuns, pause, resume, type RunSummary } from '../temporal/client.js';
import type { TaskCaller } from '../temporal/contract.js';
import { getDeployed } from '../temporal/registry-client.js';
import { getThrottleView } from '../temporal/throttle-client.js';
import type { DeployedSummary } from '../temporal/registry-contract.js';
import { currentRuns } from '../ops/run-table.js';
import { disabledReason } from '../temporal/account-contract.js';
import { notifyAccounts, type Notified } from './notify.js';

export interface SwitchRequest {
  playbook: string;
  enabled: boolean;
  /** Who switched, for the record: `cli:<user>`, `api:<token>`. */
  by: string;
  /** Who pauses or resumes runs, as their timelines name them. */
  caller: TaskCaller;
  /** Disable only: pause the playbook's open runs too. */
  pauseRuns?: boolean;
}

export interface Switched {
  playbook: string;
  enabled: boolean;
  /** False when the playbook was so already: nothing was written (runs an earlier disable paused stay paused). */
  changed: boolean;
  /** Who switched it last and when (UTC ISO-8601); null for a playbook never switched. */
  by: string | null;
  at: string | null;
  /** The runs this disable paused, or this enable resumed. */
  runs: string[];
  /** How the account entities were told; null when nothing changed. */
  notified: Notified | null;
}

/**
 * A deployed playbook with its switch: the registry's entry, `enabled`, and who switched it
 * when (null: never switched); with `start at most N per day`, also how many firings its
 * throttle keeps queued.
 */
export type SwitchedPlaybook = Omit<DeployedSummary['playbooks'][number], 'throttle'> & {
  enabled: boolean;
  switchedBy: string | null;
  switchedAt: string | null;
  throttle?: { perDay: number; queued: number };
};

export type SwitchedSummary = Omit<DeployedSummary, 'playbooks'> & { playbooks: SwitchedPlaybook[] };

export async function switchPlaybook(client: Client, store: Store, request: SwitchRequest): Promise<Switched> {
  const { playbook, enabled, by, caller } = request;
  if (!(await getDeployed(client)).playbooks.some((p) => p.id === playbook)) throw new UserError(`playbook ${playbook} is not deployed`, 'notFound');
  const before = await playbookSwitchOf(store, playbook);
  const wasEnabled = before?.enabled ?? true;
  if (wasEnabled === enabled) {
    return { playbook, enabled, changed: false, by: before?.by ?? null, at: before?.at ?? null, runs: [], notified: null };
  }
  if (!enabled) {
    // Switched off before the open runs are listed, so that none starts after the list.
    const written = await setPlaybookSwitch(store, { playbook, enabled, by, pausedRuns: [] });
    const notified = await notifyAccounts(client, (await getDeployed(client)).generation, { switched: true });
    const toPause = request.pauseRuns === true ? await openRunsToPause(client, playbook) : [];
    if (toPause.length > 0) {
      // Recorded before they are paused: an enable after a disable that stopped half-way
      // resumes them all (resuming a run that is not paused changes nothing).
      await setPlaybookSwitch(store, { playbook, enabled, by, at: new Date(written.at), pausedRuns: toPause });
      for (const id of toPause) await ifStillOpen(() => pause(client, id, { by: caller }));
    }
    return { playbook, enabled, changed: true, by, at: written.at, runs: toPause, notified };
  }
  // Resumed before the switch is written: should a resume fail, the disable and its list stay for the next enable.
  const resumed: string[] = [];
  for (const id of before?.pausedRuns ?? []) if (await ifStillOpen(() => resume(client, id, { by: caller }))) resumed.push(id);
  const written = await setPlaybookSwitch(store, { playbook, enabled, by, pausedRuns: [] });
  const notified = await notifyAccounts(client, (await getDeployed(client)).generation, { switched: true });
  return { playbook, enabled, changed: true, by, at: written.at, runs: resumed, notified };
}

/** What is deployed, each playbook with its switch and its throttle's queue; without a store every playbook is enabled. */
export async function deployedWithSwitches(client: Client, store: Store | null): Promise<SwitchedSummary> {
  const [summary, switches] = await Promise.all([getDeployed(client), store === null ? new Map<string, PlaybookSwitch>() : playbookSwitches(store)]);
  return {
    ...summary,
    playbooks: await Promise.all(
      summary.playbooks.map(async ({ throttle, ...p }) => {
        const s = switches.get(p.id);
        const queued = throttle === undefined ? 0 : (await getThrottleView(client, p.id)).queue.length;
        return {
          ...p,
          enabled: s?.enabled ?? true,
          switchedBy: s?.by ?? null,
          switchedAt: s?.at ?? null,
          ...(throttle !== undefined && { throttle: { perDay: throttle.perDay, queued } }),
        };
      }),
    ),
  };
}

/** Refuses (a conflict) to start `playbook` while it is disabled: for starts that pass no account entity (`playbook start <file>`). */
export async function refuseIfDisabled(store: Store, playbook: string): Promise<void> {
  const off = await playbookSwitchOf(store, playbook);
  if (off !== null && !off.enabled)
    throw new UserError(`cannot start ${playbook}: ${disabledReason(off)}; \`playbook enable ${playbook}\` switches it on`, 'conflict');
}

/** The playbook's open runs that are not paused (visibility lists a run a moment after it started). */
async function openRunsToPause(client: Client, playbook: string): Promise<string[]> {
  const runs: RunSummary[] = currentRuns(await listRuns(client, { playbook, openOnly: true, limit: Number.MAX_SAFE_INTEGER }));
  return [...new Set(runs.filter((r) => r.status !== 'paused').map((r) => r.workflowId))].sort();
}

/** Runs the control; false when the run has ended meanwhile. */
async function ifStillOpen(control: () => Promise<void>): Promise<boolean> {
  try {
    await control();
    return true;
  } catch (e) {
    if (e instanceof UserError && e.kind === 'notFound') return false;
    throw e;
  }
}
