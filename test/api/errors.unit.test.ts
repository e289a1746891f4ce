/**
 * Unexpected failures leave nothing but a request id: the details go to the log under it.
 * No request here reaches Temporal, so the client's connection is never opened.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiApp } from '../../src/api/app.js';
import { buildApiServer } from '../../src/api/server.js';
import { FileTokenStore } from '../../src/api/tokens/store.js';

describe('internal errors', () => {
  let dir: string;
  let app: ApiApp;
  const log: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'api-errors-'));
    const tokensFile = path.join(dir, 'tokens.json');
    writeFileSync(tokensFile, '{"version": 1, "tokens": "/etc/secret-layout"}');
    const logger = pino(new Writable({ write: (chunk: Buffer, _encoding, done) => done(void log.push(chunk.toString('utf8'))) }));
    const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    app = await buildApiServer({ client, taskQueue: 'unused', tokens: new FileTokenStore(tokensFile), integrations: {}, logger, clock: Date.now });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 500 with only the request id, and logs the cause under that id', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/playbooks', headers: { authorization: 'Bearer pbk_x' } });
    expect(response.statusCode).toBe(500);
    const { error } = response.json();
    expect(error).toEqual({
      status: 500,
      code: 'internal',
      message: `internal error; the server log has the details under request id ${error.requestId}`,
      requestId: expect.any(String),
    });
    expect(response.body).not.toContain('token store');
    expect(response.body).not.toContain('at ');
    const logged = log.map((line) => JSON.parse(line)).find((line) => line.requestId === error.requestId);
    expect(logged).toMatchObject({ level: 50, msg: 'request failed', err: { message: expect.stringContaining('cannot read the token store') } });
  });
});
