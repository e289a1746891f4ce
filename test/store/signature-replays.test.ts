/**
 * Issue 12, Low: a signed request (an event without `eventId`) replayed to another API
 * process is applied once when the processes share a store, whatever host each is on: two
 * Fastify instances with the API's own body parsing, auth and error handling, each with its
 * own connection to the store and its own token folder (as on two hosts), on PGlite and on
 * PostgreSQL. Without a store the memory is per token folder, which the last test pins.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { registerAuth } from '../../src/api/auth.js';
import { registerErrorHandling } from '../../src/api/error-handler.js';
import { registerJsonBody } from '../../src/api/json-body.js';
import { replayMemoryFor, signatureHeader, SIGNATURE_TOLERANCE_S, StoreReplayGuard } from '../../src/api/signature.js';
import { openStore, type Store } from '../../src/store/connect.js';
import { BACKENDS, useMigratedStore } from './backends.js';

const SECRET = 'whsec-replays';
const TOKEN = 'pbk_integration';

/** One API process's worth: its own token folder, and the store at `url` (or none). */
function apiProcess(store: Store | null, dir: string): FastifyInstance {
  const app = Fastify();
  app.decorateRequest('principal', null);
  app.decorateRequest('rawBody', null);
  app.decorateRequest('errorCode', null);
  registerJsonBody(app);
  registerErrorHandling(app, pino({ level: 'silent' }));
  registerAuth(app, {
    tokens: { lookup: async (token) => (token === TOKEN ? { name: 'crm', role: 'integration', integration: 'crm', createdAt: '2026-01-01T00:00:00Z' } : null) },
    integrations: { crm: SECRET },
    clock: Date.now,
    replays: replayMemoryFor(store, path.join(dir, 'tokens.json')),
  });
  let applied = 0;
  app.post('/v1/events', { config: { access: 'events:send' } }, async () => ({ applied: ++applied }));
  return app;
}

/** Sends `body` signed at `t` to `app`; the status and error code. */
async function send(app: FastifyInstance, body: string, t = Math.floor(Date.now() / 1000)): Promise<[number, string | null]> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'playbook-signature': signatureHeader(SECRET, t, body) },
    payload: body,
  });
  return [response.statusCode, response.statusCode === 200 ? null : (response.json() as { error: { code: string } }).error.code];
}

describe.each(BACKENDS)('signature replay memory in the store on %s', (name) => {
  let url: string;
  let store: Store;
  const dirs: string[] = [];
  const folder = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'replays-'));
    dirs.push(dir);
    return dir;
  };
  useMigratedStore(name, (opened, at) => ([store, url] = [opened, at]));
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('applies a signed event without eventId once across two API processes on two hosts sharing the store', async () => {
    const [storeA, storeB] = [openStore(url), openStore(url)];
    const [a, b] = [apiProcess(storeA, folder()), apiProcess(storeB, folder())];
    try {
      const body = JSON.stringify({ accountId: 'acme', name: 'kickoff.held' });
      const t = Math.floor(Date.now() / 1000);
      expect(await send(a, body, t)).toEqual([200, null]);
      expect(await send(b, body, t)).toEqual([401, 'signature_replayed']);
      expect(await send(a, body, t)).toEqual([401, 'signature_replayed']);
      // The same body signed anew is a new request.
      expect(await send(b, body, t - 1)).toEqual([200, null]);

      // Many signatures, each sent to both processes at once: each accepted exactly once.
      const bodies = Array.from({ length: 30 }, (_, n) => JSON.stringify({ accountId: 'acme', name: 'usage.ping', payload: { n } }));
      const answers = await Promise.all(bodies.flatMap((raw) => [send(a, raw, t), send(b, raw, t)]));
      for (let n = 0; n < bodies.length; n++) {
        expect([answers[2 * n]![0], answers[2 * n + 1]![0]].sort()).toEqual([200, 401]);
      }
    } finally {
      await Promise.all([a.close(), b.close()]);
      await Promise.all([storeA.destroy(), storeB.destroy()]);
    }
  });

  it('forgets a signature once it could no longer pass the time check, deleting expired rows', async () => {
    const guard = new StoreReplayGuard(store);
    const nowS = 2_000_000_000;
    expect(await guard.accept('old.sig', nowS)).toBe(true);
    expect(await guard.accept('old.sig', nowS + 1)).toBe(false);
    const later = new StoreReplayGuard(store);
    expect(await later.accept('new.sig', nowS + 2 * SIGNATURE_TOLERANCE_S + 1)).toBe(true);
    const left = await store.selectFrom('signature_replays').select('signature').where('signature', 'in', ['old.sig', 'new.sig']).execute();
    expect(left.map((r) => r.signature)).toEqual(['new.sig']);
    expect(await later.accept('old.sig', nowS + 2 * SIGNATURE_TOLERANCE_S + 1)).toBe(true);
  });

  it('without a store, remembers per token folder: two hosts with their own folders each accept the replay once', async () => {
    const [a, b] = [apiProcess(null, folder()), apiProcess(null, folder())];
    try {
      const body = JSON.stringify({ accountId: 'acme', name: 'kickoff.held' });
      const t = Math.floor(Date.now() / 1000);
      expect(await send(a, body, t)).toEqual([200, null]);
      expect(await send(a, body, t)).toEqual([401, 'signature_replayed']);
      expect(await send(b, body, t)).toEqual([200, null]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
