/**
 * What the task and account sinks receive (JSON-lines file or signed webhook body), and the
 * body of a `webhook` step's POST. Stable formats: integrations and the CLI read them.
 */
import type { AccountValue, AskIr } from '../../ir/types.js';

interface RecordBase {
  /** The idempotency key `<workflowId>/<runId>/<step key>`; a repeat of a key is the same record. */
  key: string;
  /** When it was delivered, UTC ISO-8601. */
  at: string;
  /** The workflow id of the run. */
  run: string;
  account: string;
  playbook: string;
}

export type TaskRecord =
  | (RecordBase & { type: 'task.created'; task: string; title: string; assignee: string; due: string | null; asks: AskIr[] })
  | (RecordBase & { type: 'task.closed'; task: string; answers: Record<string, AccountValue> });

export type AccountRecord = RecordBase & { type: 'account.set'; field: string; value: AccountValue };

export type WebhookBody = RecordBase & { type: 'playbook.webhook'; endpoint: string; fields: Record<string, AccountValue> };
