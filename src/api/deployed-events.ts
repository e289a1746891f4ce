/**
 * The events some deployed playbook takes (an `on event` trigger or a `wait for event` of
 * its release's program: `acceptedEvents`), with the payloads the releases declare for them,
 * so that `POST /v1/events` refuses a name that nothing would take, as the CLI does, and a
 * payload that does not fit. Cached per registry generation: a check costs one registry
 * query, and the releases are read again only after a deploy changed something.
 */
import type { Client } from '@temporalio/client';
import { payloadProblems } from '../ir/event-check.js';
import type { EventIr } from '../ir/types.js';
import { acceptedEvents } from '../runtime/inputs.js';
import { getDeployed, getRelease } from '../temporal/registry-client.js';

/** Per event name, the payload declarations of the releases that take it (none from a workspace without `events`). */
export type DeployedEventMap = ReadonlyMap<string, readonly EventIr[]>;

export type DeployedEvents = () => Promise<DeployedEventMap>;

export function deployedEventsOf(client: Client): DeployedEvents {
  let cached: { generation: number; names: Promise<DeployedEventMap> } | null = null;
  return async () => {
    const { generation, playbooks } = await getDeployed(client);
    if (cached === null || cached.generation !== generation) {
      const names = Promise.all(playbooks.map((p) => getRelease(client, p.id))).then((releases) => {
        const union = new Map<string, EventIr[]>();
        for (const release of releases) {
          if (release === null) continue;
          for (const name of acceptedEvents(release.program)) {
            const declared = release.program.events?.[name];
            const list = union.get(name) ?? [];
            if (declared !== undefined) list.push(declared);
            union.set(name, list);
          }
        }
        return union;
      });
      const read = { generation, names };
      cached = read;
      // A failed read is not kept: the next event reads again.
      names.catch(() => {
        if (cached === read) cached = null;
      });
    }
    return cached.names;
  };
}

/**
 * Why `payload` fits no deployed declaration of its event, one line per field (those of the
 * first declaration), or an empty list when one fits or none is declared.
 */
export function deployedPayloadProblems(declarations: readonly EventIr[], payload: Record<string, unknown> | undefined): string[] {
  let first: string[] | null = null;
  for (const declared of declarations) {
    const problems = payloadProblems(declared, payload);
    if (problems.length === 0) return [];
    first ??= problems;
  }
  return first ?? [];
}
