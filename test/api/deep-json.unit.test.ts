/**
 * A body nested thousands of levels deep is bad input (400), not a crash of whatever
 * serialises it later (it was a 500 from Temporal's payload converter). No request here
 * reaches Temporal.
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

describe('deeply nested JSON bodies', () => {
  let dir: string;
  let app: ApiApp;
  let token: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'api-deep-'));
    const tokens = new FileTokenStore(path.join(dir, 'tokens.json'));
    token = (await issueToken(tokens, { name: 'ops', role: 'csops' }, [], new Date())).token;
    const logger = pino(new Writable({ write: (_chunk, _encoding, done) => done() }));
    const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    app = await buildApiServer({ client, taskQueue: 'unused', tokens, integrations: {}, logger, clock: Date.now });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers an event whose payload nests 6,000 levels with 400 invalid_json in the error shape', async () => {
    const deep = '['.repeat(6000) + ']'.repeat(6000);
    const response = await app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      payload: `{"accountId":"acme","name":"usage","payload":{"a":${deep}}}`,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      error: { status: 400, code: 'invalid_json', message: 'the body nests deeper than 64 levels of arrays and objects', requestId: expect.any(String) },
    });
  });
});
