/**
 * The account entity's activities, on the worker: they read the deployment registry and
 * start runs through the Temporal client, the same way `playbook start` does.
 */
import { isGrpcServiceError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { status as grpcStatus } from '@grpc/grpc-js';
import { ApplicationFailure } from '@temporalio/common';
import { validateAccount } from '../../accounts/validate.js';
import { defaultCalendar, type ResolvedCalendar } from '../../calendar/index.js';
import { calendarZone, resolveProgramCalendars } from '../../calendar/resolve.js';
import { UserError } from '../../errors.js';
import type { AccountData, IrProgram } from '../../ir/types.js';
import { acceptedEvents } from '../../runtime/inputs.js';
import { startRun } from '../client.js';
import { getDeployed, getRelease } from '../registry-client.js';
import { admitToThrottle } from '../throttle-client.js';
import type { DeployedSummary, PlaybookRelease } from '../registry-contract.js';
import { unlessCancelled } from './cancellation.js';
import { disabledReason, forwardedSignal } from '../account-contract.js';
import type { DeployedTriggers } from '../../triggers/evaluate.js';
import type { TriggerActivities } from './trigger-options.js';

export * from './trigger-options.js';

export interface TriggerActivityDeps {
  client: Client;
  taskQueue: string;
  roles: Record<string, string>;
  /** `temporal.maxSignalsPerExecution`, for the runs started (`PlaybookRunOptions.signalLimit`); absent: the default. */
  signalLimit?: number;
  /** This worker has a store: the runs started write their timelines to it, and the entities their journals. */
  projectToStore?: boolean;
  now?: () => number;
  /**
   * Demo only (`playbook demo`): runs start their playbook clock this far ahead of now, so the
   * demo's emails need not wait for the morning. Never configurable: production runs keep
   * server time.
   */
  playbookClockLeadMs?: number;
  /**
   * The playbooks switched off (`playbook disable`), by id, read from the store with every read
   * of the triggers and before every start; absent (no store): none is.
   */
  disabledPlaybooks?: () => Promise<ReadonlyMap<string, PlaybookOff>>;
}

/** Who switched a playbook off when (UTC ISO-8601). */
export type PlaybookOff = NonNullable<DeployedTriggers['disabled']>;

/**
 * The registry is one workflow answering queries one at a time, and an import or a bulk start
 * makes thousands of entities ask at once: a read of what is deployed serves this worker's
 * activities for this long (a deploy's notice asks for a newer one at once).
 */
const DEPLOYED_MAX_AGE_MS = 1_000;

export function createTriggerActivities({
  client,
  taskQueue,
  roles,
  signalLimit,
  projectToStore = false,
  now = Date.now,
  playbookClockLeadMs = 0,
  disabledPlaybooks = async () => new Map(),
}: TriggerActivityDeps): TriggerActivities {
  // A release never changes once deployed: one registry query per version, not per account.
  const releases = new Map<string, Promise<PlaybookRelease | null>>();
  const releaseOf = (id: string, version: string) => {
    const key = `${id}@${version}`;
    let release = releases.get(key);
    if (release === undefined) {
      release = getRelease(client, id).then((r) => (r?.version === version ? r : null));
      releases.set(key, release);
      void release.then(
        (r) => r === null && releases.delete(key),
        () => releases.delete(key),
      );
    }
    return release;
  };
  // Wall-clock age: the registry changes in real time, whatever clock the runs use.
  let deployedRead: { at: number; summary: Promise<DeployedSummary> } | null = null;
  const deployedNow = async (minGeneration = 0): Promise<DeployedSummary> => {
    for (let held = deployedRead; held !== null && Date.now() - held.at < DEPLOYED_MAX_AGE_MS; held = deployedRead) {
      const summary = await held.summary.catch(() => null);
      if (summary !== null && summary.generation >= minGeneration) return summary;
      // Too old or failed: the first caller to see it reads again, the others wait for that read.
      if (deployedRead === held) break;
    }
    const read = { at: Date.now(), summary: getDeployed(client) };
    deployedRead = read;
    return read.summary;
  };
  return {
    async loadTriggers({ account, minGeneration }) {
      // Only reads: abandoning them on cancellation leaves nothing half done (starting a run does).
      const [deployed, off] = await unlessCancelled(Promise.all([deployedNow(minGeneration), disabledPlaybooks()]));
      const playbooks = await Promise.all(
        deployed.playbooks.map(async ({ id, version, triggers }) => {
          const release = await unlessCancelled(releaseOf(id, version));
          const calendarId = release?.program.playbooks[id]?.calendar ?? null;
          const calendar = release !== null && calendarId !== null ? triggerCalendar(release.program, account, calendarId, now()) : undefined;
          const disabled = off.get(id);
          const perDay = release?.program.playbooks[id]?.throttle?.perDay;
          // One zone for every account: the throttle counts the playbook's starts across all of them.
          const timezone = () => calendarZone(calendarId === null ? null : (release?.program.calendars[calendarId] ?? null), { id: '' });
          return {
            playbook: id,
            version,
            triggers,
            calendar: calendar ?? defaultCalendar,
            ...(disabled !== undefined && { disabled }),
            ...(perDay !== undefined && { throttle: { perDay, timezone: timezone() } }),
          };
        }),
      );
      return { generation: deployed.generation, playbooks, ...(projectToStore && { projectToStore }), ...(signalLimit !== undefined && { signalLimit }) };
    },

    async startPlaybookRun({ account, playbook, bindings }) {
      const newest = (await deployedNow()).playbooks.find((p) => p.id === playbook);
      // A deploy between the read and the release query: the newest release then.
      const release = newest === undefined ? null : ((await releaseOf(playbook, newest.version)) ?? (await getRelease(client, playbook)));
      if (release === null) return { status: 'refused', reason: `playbook ${playbook} is not deployed` };
      // An entity whose switch notice was lost still starts nothing.
      const disabled = (await disabledPlaybooks()).get(playbook);
      if (disabled !== undefined) return { status: 'refused', reason: disabledReason(disabled) };
      // Fields dropped by a later deploy may linger in the entity's data: the run only gets declared ones.
      const declared = Object.fromEntries(Object.entries(account).filter(([name]) => name === 'id' || name in release.program.fields));
      const valid = validateAccount(release.program.fields, declared);
      if (!valid.ok) return { status: 'refused', reason: `account data does not fit ${playbook}: ${valid.errors.join('; ')}` };
      try {
        const outcome = await startRun(client, {
          program: release.program,
          version: release.version,
          account: valid.value,
          taskQueue,
          roles,
          ...(signalLimit !== undefined && { signalLimit }),
          ...(projectToStore && { projectToStore }),
          ...(playbookClockLeadMs > 0 && { startAt: now() + playbookClockLeadMs }),
          ...(bindings !== undefined && { bindings }),
        });
        if (outcome.status === 'alreadyOpen') return outcome;
        const accepts = { events: [...acceptedEvents(release.program)], fields: Object.keys(release.program.fields) };
        return { status: 'started', workflowId: outcome.workflowId, version: release.version, accepts };
      } catch (e) {
        if (e instanceof UserError) return { status: 'refused', reason: e.message };
        throw e;
      }
    },

    async signalRun({ workflowId, input, requestId }) {
      const { name, arg } = forwardedSignal(input);
      const { namespace, identity, loadedDataConverter } = client.options;
      try {
        await client.workflowService.signalWorkflowExecution({
          namespace,
          identity,
          requestId,
          workflowExecution: { workflowId },
          signalName: name,
          input: { payloads: [loadedDataConverter.payloadConverter.toPayload(arg)] },
        });
      } catch (e) {
        // Closed (not found) or over its signal limit (failed precondition): another try would not reach it.
        if (isGrpcServiceError(e) && FINAL_SIGNAL_ERRORS.has(e.code)) {
          throw ApplicationFailure.create({ type: 'RunUnreachable', message: e.details || e.message, nonRetryable: true });
        }
        throw e;
      }
    },

    async admitThrottled({ playbook, request }) {
      return admitToThrottle(client, taskQueue, playbook, request);
    },

    async runStatus({ workflowId }) {
      try {
        return (await client.workflow.getHandle(workflowId).describe()).status.name;
      } catch (e) {
        if (e instanceof WorkflowNotFoundError) return null;
        throw e;
      }
    },
  };
}

const FINAL_SIGNAL_ERRORS = new Set<number>([grpcStatus.NOT_FOUND, grpcStatus.FAILED_PRECONDITION, grpcStatus.INVALID_ARGUMENT]);

/**
 * The calendar a playbook's triggers are timed in for `account`. One the account's data cannot
 * resolve (a holiday field holding no holiday code) times them in the default calendar rather
 * than failing the activity for ever: the start they fire is refused naming the field, and
 * the refusal is recorded on the entity's firing.
 */
function triggerCalendar(program: IrProgram, account: AccountData, calendarId: string, at: number): ResolvedCalendar | undefined {
  try {
    return resolveProgramCalendars(program, account, at)[calendarId];
  } catch {
    return undefined;
  }
}
