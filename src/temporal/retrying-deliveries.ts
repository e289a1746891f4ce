/**
 * The deliveries of a run that are being retried, read from its execution's pending
 * activities: the workflow cannot see activity attempts, the server can. `since` comes from
 * the activity's heartbeat (its first attempt's scheduling, see activities/index.ts).
 */
import { defaultPayloadConverter } from '@temporalio/common';
import type { WorkflowExecutionDescription } from '@temporalio/client';
import type { RetryingDelivery } from './contract.js';

const ACTIONS: Record<string, string> = {
  sendEmail: 'email',
  sendNotification: 'notify',
  recordEscalation: 'escalate',
  createTask: 'task',
  closeTask: 'task closed',
  noticeTask: 'task notice',
  callWebhook: 'webhook',
  setAccountField: 'set',
};

/** The details an attempt heartbeats. */
export interface DeliveryHeartbeat {
  /** Epoch ms of the first attempt's scheduling. */
  since: number;
}

export function retryingDeliveries(description: WorkflowExecutionDescription): RetryingDelivery[] {
  return (description.raw.pendingActivities ?? []).flatMap((pending) => {
    const attempt = pending.attempt ?? 1;
    if (attempt <= 1 && pending.lastFailure == null) return [];
    const name = pending.activityType?.name ?? '';
    return [
      {
        action: ACTIONS[name] ?? name,
        since: sinceOf(pending.heartbeatDetails?.payloads?.[0]),
        attempt,
        lastError: pending.lastFailure?.message ?? null,
        nextAttemptAt: isoOf(pending.nextAttemptScheduleTime),
      },
    ];
  });
}

function sinceOf(payload: Parameters<typeof defaultPayloadConverter.fromPayload>[0] | undefined): string | null {
  if (payload == null) return null;
  try {
    const details = defaultPayloadConverter.fromPayload<Partial<DeliveryHeartbeat>>(payload);
    return typeof details?.since === 'number' ? new Date(details.since).toISOString() : null;
  } catch {
    return null;
  }
}

function isoOf(time: { seconds?: unknown; nanos?: number | null } | null | undefined): string | null {
  if (time == null || time.seconds == null) return null;
  return new Date(Number(time.seconds) * 1000 + Math.floor((time.nanos ?? 0) / 1e6)).toISOString();
}
