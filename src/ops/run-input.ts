/**
 * The input a run was started with (its program and resolved calendars), read from the first
 * event of its history. The status query reports the timeline in UTC; the input says in which
 * calendar a person reads it.
 */
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { defaultCalendar, type ResolvedCalendar } from '../calendar/index.js';
import type { PlaybookWorkflowInput } from '../temporal/contract.js';

export async function fetchRunInput(client: Client, workflowId: string): Promise<PlaybookWorkflowInput> {
  // Only the first page of one event: a long run's history is never read whole for this.
  const { history } = await client.workflowService.getWorkflowExecutionHistory({
    namespace: client.options.namespace,
    execution: { workflowId },
    maximumPageSize: 1,
  });
  const payload = history?.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) throw new Error(`the history of ${workflowId} does not start with the workflow's input`);
  return defaultPayloadConverter.fromPayload<PlaybookWorkflowInput>(payload);
}

/** The entry playbook's calendar: the timeline's local times are shown in its zone. */
export function entryCalendar(input: PlaybookWorkflowInput): ResolvedCalendar {
  const id = input.ir.playbooks[input.ir.entry]?.calendar ?? null;
  return id === null ? defaultCalendar : (input.calendars[id] ?? defaultCalendar);
}
