/**
 * The account entity's activities, on the worker: they read the deployment registry and
 * start runs through the Temporal client, the same way `playbook start` does.
 */
import type { Client } from '@temporalio/client';
import { validateAccount } from '../../accounts/validate.js';
import { defaultCalendar } from '../../calendar/index.js';
import { resolveProgramCalendars } from '../../calendar/resolve.js';
import { UserError } from '../../cli/errors.js';
import { startRun, workflowIdOf } from '../client.js';
import { getDeployed, getRelease } from '../registry-client.js';
import type { PlaybookRelease } from '../registry-contract.js';
import type { TriggerActivities } from './trigger-options.js';

export * from './trigger-options.js';

export interface TriggerActivityDeps {
  client: Client;
  taskQueue: string;
  roles: Record<string, string>;
  now?: () => number;
  /**
   * Demo only (`playbook demo`): runs start their playbook clock this far ahead of now, so the
   * demo's emails need not wait for the morning. Never configurable: production runs keep
   * server time.
   */
  playbookClockLeadMs?: number;
}

export function createTriggerActivities({ client, taskQueue, roles, now = Date.now, playbookClockLeadMs = 0 }: TriggerActivityDeps): TriggerActivities {
  // A release never changes once deployed: one registry query per version, not per account.
  const releases = new Map<string, Promise<PlaybookRelease | null>>();
  const releaseOf = (id: string, version: string) => {
    const key = `${id}@${version}`;
    let release = releases.get(key);
    if (release === undefined) {
      release = getRelease(client, id).then((r) => (r?.version === version ? r : null));
      releases.set(key, release);
      void release.then((r) => r === null && releases.delete(key), () => releases.delete(key));
    }
    return release;
  };
  return {
    async loadTriggers({ account }) {
      const deployed = await getDeployed(client);
      const playbooks = await Promise.all(
        deployed.playbooks.map(async ({ id, version, triggers }) => {
          const release = await releaseOf(id, version);
          const calendarId = release?.program.playbooks[id]?.calendar ?? null;
          const calendar = release !== null && calendarId !== null ? resolveProgramCalendars(release.program, account, now())[calendarId] : undefined;
          return { playbook: id, version, triggers, calendar: calendar ?? defaultCalendar };
        }),
      );
      return { generation: deployed.generation, playbooks };
    },

    async startPlaybookRun({ account, playbook }) {
      const release = await getRelease(client, playbook);
      if (release === null) return { status: 'refused', reason: `playbook ${playbook} is not deployed` };
      // Fields dropped by a later deploy may linger in the entity's data: the run only gets declared ones.
      const declared = Object.fromEntries(Object.entries(account).filter(([name]) => name === 'id' || name in release.program.fields));
      const valid = validateAccount(release.program.fields, declared);
      if (!valid.ok) return { status: 'refused', reason: `account data does not fit ${playbook}: ${valid.errors.join('; ')}` };
      try {
        const started = await startRun(client, {
          program: release.program,
          version: release.version,
          account: valid.value,
          taskQueue,
          roles,
          ...(playbookClockLeadMs > 0 && { startAt: now() + playbookClockLeadMs }),
        });
        return { status: 'started', workflowId: started.workflowId, version: release.version };
      } catch (e) {
        if (e instanceof UserError && e.kind === 'conflict') return { status: 'alreadyOpen', workflowId: workflowIdOf(playbook, account.id) };
        if (e instanceof UserError) return { status: 'refused', reason: e.message };
        throw e;
      }
    },
  };
}
