/**
 * How large an account event may be, and how many inputs an account entity keeps waiting.
 * The API and `playbook event` refuse an event over the configured `api.maxEventPayloadBytes`
 * before sending it; the entity refuses one over `ENTITY_MAX_EVENT_PAYLOAD_BYTES` (the most
 * that setting may be) and refuses inputs while its queue is full, so neither reaches its
 * history. Pure and workflow-safe.
 */
import { utf8Length } from '../ir/utf8.js';

/** The default of `api.maxEventPayloadBytes`. */
export const DEFAULT_MAX_EVENT_PAYLOAD_BYTES = 64 * 1024;
/**
 * The default of `api.inlineEventPayloadBytes`: with a store, a larger payload is kept in the
 * store and the event carries only the fields deployed programs read, and a reference.
 */
export const DEFAULT_INLINE_EVENT_PAYLOAD_BYTES = 8 * 1024;
/** The entity's own ceiling, and the most `api.maxEventPayloadBytes` may be set to. */
export const ENTITY_MAX_EVENT_PAYLOAD_BYTES = 256 * 1024;
/** Objects and arrays nested deeper than this are refused. */
export const MAX_EVENT_PAYLOAD_DEPTH = 32;
/** Inputs an entity keeps waiting before it refuses events (the `maxPending` start option). */
export const DEFAULT_MAX_PENDING_INPUTS = 500;
/**
 * Bytes of event payloads an entity keeps waiting: with `DEFAULT_MAX_PENDING_INPUTS`, it keeps
 * what the entity carries into its next execution under Temporal's 2 MB payload limit.
 */
export const MAX_PENDING_PAYLOAD_BYTES = 512 * 1024;

export interface PayloadSize {
  /** UTF-8 bytes of the payload as JSON. */
  bytes: number;
  /** Nesting of objects and arrays: `{}` is 1. */
  depth: number;
}

/** The size of `payload` as JSON; `undefined` is 0 bytes. Check the depth first (`eventPayloadProblem`). */
export function payloadSize(payload: unknown): PayloadSize {
  if (payload === undefined) return { bytes: 0, depth: 0 };
  return { bytes: jsonBytes(payload), depth: depthOf(payload) };
}

/** UTF-8 bytes of `value` as JSON, for values known to be shallow (a carry, a checked payload). */
export function jsonBytes(value: unknown): number {
  return utf8Length(JSON.stringify(value) ?? '');
}

/** Why an event payload is refused under `maxBytes`, naming the limit, or null. */
export function eventPayloadProblem(payload: unknown, maxBytes: number, limitName: string): string | null {
  // Depth first: JSON.stringify of a payload nested thousands deep would overflow the stack.
  const depth = depthOf(payload);
  if (depth > MAX_EVENT_PAYLOAD_DEPTH) return `the event payload is nested ${depth} levels deep; at most ${MAX_EVENT_PAYLOAD_DEPTH} are accepted`;
  const { bytes } = payloadSize(payload);
  if (bytes > maxBytes) return `the event payload is ${bytes} bytes as JSON; at most ${maxBytes} are accepted (${limitName})`;
  return null;
}

/** Iterative, so a payload nested thousands deep cannot overflow the stack. */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    max = Math.max(max, d);
    if (d > MAX_EVENT_PAYLOAD_DEPTH) return d;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}
