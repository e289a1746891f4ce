/**
 * The event names some deployed playbook takes (an `on event` trigger or a `wait for event`
 * of its release's program: `acceptedEvents`), so that `POST /v1/events` refuses a name that
 * nothing would take, as the CLI does. Cached per registry generation: a check costs one
 * registry query, and the releases are read again only after a deploy changed something.
 */
import type { Client } from '@temporalio/client';
import { acceptedEvents } from '../runtime/inputs.js';
import { getDeployed, getRelease } from '../temporal/registry-client.js';

export type DeployedEvents = () => Promise<ReadonlySet<string>>;

export function deployedEventsOf(client: Client): DeployedEvents {
  let cached: { generation: number; names: Promise<ReadonlySet<string>> } | null = null;
  return async () => {
    const { generation, playbooks } = await getDeployed(client);
    if (cached === null || cached.generation !== generation) {
      const names = Promise.all(playbooks.map((p) => getRelease(client, p.id))).then((releases) => {
        const union = new Set<string>();
        for (const release of releases) if (release !== null) for (const name of acceptedEvents(release.program)) union.add(name);
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
