import { describe, expect, it } from 'vitest';
import { MAX_EVENT_PAYLOAD_DEPTH, eventPayloadProblem, payloadSize } from '../../src/temporal/event-limits.js';

describe('event payload limits', () => {
  it('measure UTF-8 bytes of the payload as JSON, and its nesting', () => {
    expect(payloadSize(undefined)).toEqual({ bytes: 0, depth: 0 });
    expect(payloadSize({ a: 'é€😀' })).toEqual({ bytes: JSON.stringify({ a: '' }).length + 2 + 3 + 4, depth: 1 });
    expect(payloadSize({ a: [{ b: 1 }] }).depth).toBe(3);
  });

  it('name the limit that was passed, and allow a payload at the limit', () => {
    const payload = { blob: 'x'.repeat(100) };
    const bytes = payloadSize(payload).bytes;
    expect(eventPayloadProblem(payload, bytes, 'api.maxEventPayloadBytes')).toBeNull();
    expect(eventPayloadProblem(payload, bytes - 1, 'api.maxEventPayloadBytes')).toBe(
      `the event payload is ${bytes} bytes as JSON; at most ${bytes - 1} are accepted (api.maxEventPayloadBytes)`,
    );
  });

  it('refuse nesting past the depth limit without walking all of it', () => {
    let deep: unknown = {};
    for (let i = 1; i < MAX_EVENT_PAYLOAD_DEPTH; i++) deep = { deep };
    expect(eventPayloadProblem(deep, 1e6, 'x')).toBeNull();
    let tooDeep: unknown = {};
    for (let i = 0; i < 5_000; i++) tooDeep = [tooDeep];
    expect(eventPayloadProblem({ tooDeep }, 1e9, 'x')).toBe(
      `the event payload is nested ${MAX_EVENT_PAYLOAD_DEPTH + 1} levels deep; at most ${MAX_EVENT_PAYLOAD_DEPTH} are accepted`,
    );
  });
});
