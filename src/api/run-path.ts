/**
 * How a URL names a run, in the API (`/v1/runs/…`) and the console (`/runs/…`, `/tasks/…`):
 * `<base>/<playbook>/<account>[/<segment>…]`, and for a keyed run (`one run per account and
 * …`) one `key=<value>` query parameter per key value, in key order. Unkeyed runs keep their
 * plain paths; a key value with `:` or `/` is one encoded parameter, so nothing is ambiguous.
 */
import { runKeyOfWorkflowId, workflowIdOf } from '../temporal/contract.js';

export interface RunAddress {
  playbook: string;
  accountId: string;
  /** The run key's values, in key order; `[]` for an unkeyed run. */
  key: readonly string[];
}

/** The path of a run, or of something in it (`segments`), with `query`'s parameters after the key's. */
export function runPathOf(base: string, run: RunAddress, segments: readonly string[] = [], query: Record<string, string> = {}): string {
  const path = [base, ...[run.playbook, run.accountId, ...segments].map(encodeURIComponent)].join('/');
  const params = [...run.key.map((v) => ['key', v] as const), ...Object.entries(query)].map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return params.length === 0 ? path : `${path}?${params.join('&')}`;
}

/** The run key a URL's `key` parameter gives (`runPathOf`): absent, one value or several. */
export function runKeyOfQuery(key: string | readonly string[] | undefined): string[] {
  return key === undefined ? [] : typeof key === 'string' ? [key] : [...key];
}

/** A run's name in a heading or a link: `renewal for acme`, a keyed run's with its key: `support-escalation for acme, T-1`. */
export function runTitle(run: RunAddress): string {
  return `${run.playbook} for ${[run.accountId, ...run.key].join(', ')}`;
}

/** The run a URL names: its workflow id. */
export function workflowIdOfAddress(run: RunAddress): string {
  return workflowIdOf(run.playbook, run.accountId, run.key);
}

/** The address of a run the store or the API lists with its workflow id (a task, a run summary). */
export function runAddressOf(run: { playbook: string; accountId: string; workflowId: string }): RunAddress {
  return { playbook: run.playbook, accountId: run.accountId, key: runKeyOfWorkflowId(run.workflowId, run.playbook, run.accountId) ?? [] };
}

/** The run an API request names: `/v1/runs/:playbook/:accountId[/…]` with its `key` parameters (`runKeyQuerySchema`). */
export function runOfRequest(request: { params: { playbook: string; accountId: string }; query: { key?: string | string[] } }): RunAddress {
  return { playbook: request.params.playbook, accountId: request.params.accountId, key: runKeyOfQuery(request.query.key) };
}
