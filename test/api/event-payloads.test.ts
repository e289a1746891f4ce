/**
 * Event payloads through the API on a real stack: a payload that does not fit the deployed
 * `events` is refused with 422 naming the field and reaches no run; one that fits starts the
 * playbook whose trigger binds it, and the run reads it; `unless running` holds a firing back
 * while the named playbook runs, recorded in the trigger log.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../ops/helpers.js';
import { startApiForTests, USERS, type ApiTestStack } from './helpers.js';

describe('event payloads against the deployed events', () => {
  let api: ApiTestStack;
  beforeAll(async () => {
    api = await startApiForTests({
      workspace: path.join(import.meta.dirname, 'fixtures', 'events-workspace'),
      accounts: [{ id: 'acme', name: 'Acme', csm: USERS.csm }],
    });
  });
  afterAll(() => api?.stop());

  const ops = (method: string, route: string, body?: unknown) => api.call(method, route, { token: api.tokens.csops, ...(body !== undefined && { body }) });
  const nps = (payload: Record<string, unknown>) => ops('POST', '/v1/events', { accountId: 'acme', name: 'nps.responded', payload });
  const detractor = { score: 3, comment: 'Exports time out', respondent: 'dana@acme.example' };

  it('refuses a payload of the wrong type, with a field missing or one too many, naming the field', async () => {
    const wrong = await nps({ ...detractor, score: 'low' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error).toMatchObject({
      code: 'invalid_payload',
      field: 'payload.score',
      message: 'event "nps.responded": payload.score: expected a number, got "low"',
    });
    const missing = await nps({ score: 3, comment: '' });
    expect(missing.body.error).toMatchObject({ status: 422, field: 'payload.respondent' });
    expect(missing.body.error.message).toContain('payload.respondent: missing (expected the email address of a customer contact)');
    const extra = await ops('POST', '/v1/events', { accountId: 'acme', name: 'kickoff.held', payload: { room: 'B' } });
    expect(extra.body.error).toMatchObject({ status: 422, field: 'payload.room' });
    // Nothing reached the account: no trigger fired.
    expect((await ops('GET', '/v1/accounts/acme')).body.triggerLog).toEqual([]);
  });

  it('starts the playbook whose trigger binds the event, which the run reads, and holds back the one `unless running` it', async () => {
    expect((await nps(detractor)).status).toBe(202);
    const status = await eventually(async () => {
      const s = (await ops('GET', '/v1/runs/detractor/acme')).body;
      expect(s.timeline.map((e: { kind: string }) => e.kind)).toContain('note');
      return s;
    });
    expect(status.timeline.find((e: { kind: string }) => e.kind === 'note').text).toBe('NPS 3 from dana@acme.example: Exports time out');
    const log = await eventually(async () => {
      const entries = (await ops('GET', '/v1/accounts/acme')).body.triggerLog as Array<{ playbook: string; outcome: string; error?: string }>;
      expect(entries).toHaveLength(2);
      return entries;
    });
    expect(log).toEqual([
      expect.objectContaining({ playbook: 'detractor', outcome: 'started' }),
      expect.objectContaining({ playbook: 'survey-thanks', outcome: 'suppressed', error: 'unless running detractor: its run playbook:detractor:acme is open' }),
    ]);
  });
});
