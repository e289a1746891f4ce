/**
 * What the deployment registry does with its state, as pure functions: check a deploy
 * request, compare it with what is deployed, apply it, summarise. The registry workflow
 * calls them from its handlers; `playbook deploy --dry-run` uses the same comparison on the
 * client. No Node APIs, no clock: the caller passes the instant.
 */
import type { FieldTypeIr } from '../ir/types.js';
import {
  HISTORY_LIMIT,
  type DeployedPlaybook,
  type DeployedSummary,
  type DeployRequest,
  type DeployResult,
  type PlaybookRelease,
  type RegistryEntry,
  type RegistryState,
} from './registry-contract.js';

export type DeployDiff = Omit<DeployResult, 'generation'>;

/** Ids and versions: what a comparison needs of either side. */
export interface VersionsAndFields {
  playbooks: ReadonlyArray<{ id: string; version: string }>;
  fields: Record<string, FieldTypeIr>;
}

export function emptyRegistry(): RegistryState {
  return { generation: 0, deployedAt: null, fields: {}, playbooks: {} };
}

/** Why the registry refuses `request`, or null when it is well-formed. */
export function deployProblem(request: DeployRequest): string | null {
  if (!Array.isArray(request?.playbooks)) return 'a deploy request needs a list of playbooks';
  if (typeof request.fields !== 'object' || request.fields === null) return 'a deploy request needs the account fields';
  if (typeof request.by !== 'string' || request.by === '') return 'a deploy request needs who deployed it (by)';
  const seen = new Set<string>();
  for (const release of request.playbooks) {
    const id = release?.id;
    if (typeof id !== 'string' || id === '') return 'every release needs a playbook id';
    if (seen.has(id)) return `playbook ${id} is in the request twice`;
    seen.add(id);
    if (typeof release.version !== 'string' || release.version === '') return `playbook ${id} has no version`;
    if (release.program?.entry !== id) return `the program of playbook ${id} starts with ${String(release.program?.entry)}, not ${id}`;
    if (release.program.playbooks?.[id] === undefined) return `the program of playbook ${id} does not contain it`;
  }
  return null;
}

/** What deploying `request` over `deployed` adds, changes, removes and keeps; each list sorted by id. */
export function diffDeployment(deployed: VersionsAndFields, request: VersionsAndFields): DeployDiff {
  const before = new Map(deployed.playbooks.map((p) => [p.id, p.version]));
  const wanted = new Set(request.playbooks.map((p) => p.id));
  const diff: DeployDiff = { added: [], changed: [], removed: [], unchanged: [], fieldsChanged: !sameFields(deployed.fields, request.fields) };
  for (const { id, version } of sortedById(request.playbooks)) {
    const old = before.get(id);
    if (old === undefined) diff.added.push({ id, version });
    else if (old === version) diff.unchanged.push({ id, version });
    else diff.changed.push({ id, from: old, to: version });
  }
  for (const { id, version } of sortedById(deployed.playbooks)) {
    if (!wanted.has(id)) diff.removed.push({ id, version });
  }
  return diff;
}

export function changesAnything(diff: DeployDiff): boolean {
  return diff.added.length + diff.changed.length + diff.removed.length > 0 || diff.fieldsChanged;
}

/**
 * The registry after deploying `request` at `now` (UTC ISO-8601): new and changed playbooks
 * get their new release with `now` and `request.by`, a changed one keeps its earlier version
 * in its history, a missing one is removed. The generation moves on only when something changed.
 */
export function applyDeploy(state: RegistryState, request: DeployRequest, now: string): { state: RegistryState; result: DeployResult } {
  const diff = diffDeployment(versionsOf(state), request);
  if (!changesAnything(diff)) return { state, result: { generation: state.generation, ...diff } };
  const playbooks: Record<string, RegistryEntry> = {};
  for (const release of sortedById(request.playbooks)) {
    const old = state.playbooks[release.id];
    if (old !== undefined && old.release.version === release.version) {
      playbooks[release.id] = old;
      continue;
    }
    const history = old === undefined ? [] : [{ version: old.release.version, deployedAt: old.deployedAt, deployedBy: old.deployedBy }, ...old.history];
    playbooks[release.id] = { release, deployedAt: now, deployedBy: request.by, history: history.slice(0, HISTORY_LIMIT) };
  }
  const generation = state.generation + 1;
  return { state: { generation, deployedAt: now, fields: request.fields, playbooks }, result: { generation, ...diff } };
}

export function summarize(state: RegistryState): DeployedSummary {
  return {
    generation: state.generation,
    deployedAt: state.deployedAt,
    fields: state.fields,
    playbooks: sortedById(Object.values(state.playbooks).map(deployedPlaybook)),
  };
}

function deployedPlaybook({ release, deployedAt, deployedBy, history }: RegistryEntry): DeployedPlaybook {
  const { title, triggers, throttle } = release.program.playbooks[release.id]!;
  return { id: release.id, title, version: release.version, deployedAt, deployedBy, triggers, ...(throttle && { throttle }), history };
}

export function releaseOf(state: RegistryState, playbookId: string): PlaybookRelease | null {
  return Object.hasOwn(state.playbooks, playbookId) ? state.playbooks[playbookId]!.release : null;
}

function versionsOf(state: RegistryState): VersionsAndFields {
  return { playbooks: Object.values(state.playbooks).map((e) => e.release), fields: state.fields };
}

function sameFields(a: Record<string, FieldTypeIr>, b: Record<string, FieldTypeIr>): boolean {
  const names = Object.keys(a);
  if (names.length !== Object.keys(b).length) return false;
  return names.every((name) => {
    const x = a[name]!;
    const y = b[name];
    if (y === undefined || x.type !== y.type) return false;
    const xs = x.type === 'one of' ? x.values : [];
    const ys = y.type === 'one of' ? y.values : [];
    return xs.length === ys.length && xs.every((v, i) => v === ys[i]);
  });
}

/** Code-unit order: the same on every machine (no locale in workflow code). */
function sortedById<T extends { id: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
