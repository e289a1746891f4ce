/**
 * Per-token rate limiting (unauthenticated requests by IP) and the request timeout. No
 * request here reaches Temporal: the authenticated requests are refused by validation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../src/api/app.js';
import { buildApiServer } from '../../src/api/server.js';
import { issueToken } from '../../src/api/tokens/issue.js';
import { FileTokenStore } from '../../src/api/tokens/store.js';

describe('API limits', () => {
  let dir: string;
  let app: ApiApp;
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'api-limits-'));
    const store = new FileTokenStore(path.join(dir, 'tokens.json'));
    for (const name of ['ops', 'ops2']) tokens[name] = (await issueToken(store, { name, role: 'csops' }, [], new Date())).token;
    const logger = pino(new Writable({ write: (_chunk, _encoding, done) => done() }));
    const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    app = await buildApiServer({
      client,
      taskQueue: 'unused',
      tokens: store,
      integrations: {},
      logger,
      clock: Date.now,
      rateLimit: { max: 3, windowMs: 60_000 },
      requestTimeoutMs: 5_000,
    });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The message of a refusal: the wait left is the window's, less the time the requests took (a second or more on a loaded machine). */
  const RETRY = (caller: string) => new RegExp(`^${caller.replaceAll('.', '\\.')} sent more than 3 requests in 60 s; retry in (1 minute|[1-5]?\\d seconds?)$`);
  const event = (token: string) =>
    app.inject({ method: 'POST', url: '/v1/events', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: '{}' });

  it('answers 429 with Retry-After in the error shape once a token used its requests of the window, and counts each token apart', async () => {
    for (let i = 0; i < 3; i++) expect((await event(tokens.ops!)).statusCode).toBe(400);
    const limited = await event(tokens.ops!);
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toEqual({
      error: { status: 429, code: 'rate_limited', message: expect.stringMatching(RETRY('token ops')), requestId: expect.any(String) },
    });
    expect((await event(tokens.ops2!)).statusCode).toBe(400);
  });

  it('limits requests without a token by IP address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await app.inject({ method: 'GET', url: '/openapi.json', remoteAddress: '10.0.0.7' })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await app.inject({ method: 'GET', url: '/openapi.json', remoteAddress: '10.0.0.7' });
    expect(limited.json().error.message).toMatch(RETRY('10.0.0.7'));
    expect((await app.inject({ method: 'GET', url: '/openapi.json', remoteAddress: '10.0.0.8' })).statusCode).toBe(200);
  });

  it('gives a request the configured time to arrive (requestTimeout)', () => {
    expect(app.server.requestTimeout).toBe(5_000);
  });
});
