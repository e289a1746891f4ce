/**
 * The events some deployed playbook takes (an `on event` trigger or a `wait for event` of
 * its release's program: `acceptedEvents`), with the payloads the releases declare for them
 * and the payload fields they read (what an event kept out of history carries inline),
 * so that `POST /v1/events` refuses a name that nothing would take, as the CLI does, and a
 * payload that does not fit. Cached per registry generation: the releases are read again
 * only after a deploy changed something, and a read of the registry serves the events of the
 * next second (`HELD_MS`) unless the caller asks for a fresh one, as it does before refusing.
 */
import type { Client } from '@temporalio/client';
import { payloadProblems } from '../ir/event-check.js';
import type { EventIr } from '../ir/types.js';
import { acceptedEvents, eventFieldsRead } from '../runtime/inputs.js';
import type { DeployedSummary } from '../temporal/registry-contract.js';
import { getDeployed, getRelease } from '../temporal/registry-client.js';

/** What the deployed releases that take an event make of it. */
export interface DeployedEvent {
  /** The payload declarations of those releases (none from a workspace without `events`). */
  declarations: readonly EventIr[];
  /** The payload fields any of them reads (`eventFieldsRead`), or null when one reads a payload whole. */
  reads: ReadonlySet<string> | null;
}

/** Per event name, what the releases that take it declare and read. */
export type DeployedEventMap = ReadonlyMap<string, DeployedEvent>;

/** `fresh`: read the registry now rather than use a read of the last `HELD_MS`. */
export type DeployedEvents = (options?: { fresh?: boolean }) => Promise<DeployedEventMap>;

/**
 * The registry is one workflow answering queries one at a time, and each query is a task for
 * the worker: at hundreds of events a second one read serves this long (wall clock).
 */
export const HELD_MS = 1_000;

export function deployedEventsOf(client: Client): DeployedEvents {
  let cached: { generation: number; names: Promise<DeployedEventMap> } | null = null;
  let held: { at: number; summary: Promise<DeployedSummary> } | null = null;
  return async ({ fresh = false } = {}) => {
    if (fresh || held === null || Date.now() - held.at >= HELD_MS) {
      const read = { at: Date.now(), summary: getDeployed(client) };
      held = read;
      // A failed read is not held: the next event reads again.
      read.summary.catch(() => {
        if (held === read) held = null;
      });
    }
    const { generation, playbooks } = await held.summary;
    if (cached === null || cached.generation !== generation) {
      const names = Promise.all(playbooks.map((p) => getRelease(client, p.id))).then((releases) => {
        const union = new Map<string, { declarations: EventIr[]; reads: Set<string> | null }>();
        for (const release of releases) {
          if (release === null) continue;
          const read = eventFieldsRead(release.program);
          for (const name of acceptedEvents(release.program)) {
            const entry = union.get(name) ?? { declarations: [], reads: new Set<string>() };
            const declared = release.program.events?.[name];
            if (declared !== undefined) entry.declarations.push(declared);
            const fields = read.get(name);
            entry.reads = entry.reads === null || fields === null ? null : new Set([...entry.reads, ...(fields ?? [])]);
            union.set(name, entry);
          }
        }
        return union as DeployedEventMap;
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
