/**
 * The server's limits a playbook run keeps under, shared by the configuration (operators say
 * what their server enforces) and the workflow (which hands over to a new execution before
 * reaching them). Pure and workflow-safe.
 */

/** Temporal's default `history.maximumSignalsPerExecution`; `temporal.maxSignalsPerExecution` defaults to it. */
export const DEFAULT_SIGNAL_LIMIT = 10_000;
