import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../../src/servers/dev-server.js';
import { ServerStartError } from '../../src/servers/readiness.js';
import { SearchAttributeConflictError, ensureSearchAttributes, type SearchAttributeSchema } from '../../src/servers/search-attributes.js';
import { createDevServerTestEnv } from '../../src/servers/test-env.js';

const NAMESPACE = 'playbooks';
const KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD
const SEARCH_ATTRIBUTES: SearchAttributeSchema = { PlaybookId: 'Keyword', AccountId: 'Keyword', PlaybookStage: 'Keyword' };
const WORKFLOW_ID = 'playbook:onboarding:acme';

interface Running {
  readonly server: DevServer;
  readonly connection: Connection;
}

// One server at a time on a 2-core machine, kept across tests (each test starts it only if
// it is not running, so a single test can also run alone) and always stopped in afterAll.
describe('startDevServer', () => {
  let dir: string;
  let dbFile: string;
  let current: Running | undefined;

  async function start(searchAttributes = SEARCH_ATTRIBUTES, ui = false): Promise<Running> {
    const uiPort = ui ? undefined : false;
    const server = await startDevServer({ dbFile, uiPort, namespace: NAMESPACE, searchAttributes });
    current = { server, connection: await Connection.connect({ address: server.address }) };
    return current;
  }

  async function stop(): Promise<void> {
    await current?.connection.close();
    await current?.server.stop();
    current = undefined;
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dev-server-'));
    dbFile = join(dir, 'state', 'temporal.db');
  });
  afterAll(async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts headless on 127.0.0.1 with its namespace and search attributes registered', async () => {
    const { server, connection } = current ?? (await start());
    expect(server.address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(server.uiUrl).toBeUndefined();
    expect(server.namespace).toBe(NAMESPACE);
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
    expect(customAttributes).toMatchObject({ PlaybookId: KEYWORD, AccountId: KEYWORD, PlaybookStage: KEYWORD });
  });

  it('refuses a search attribute that exists with another type', async () => {
    const { connection } = current ?? (await start());
    await expect(ensureSearchAttributes(connection, NAMESPACE, { PlaybookId: 'Int' })).rejects.toThrow(
      new SearchAttributeConflictError(`search attribute PlaybookId already exists in namespace ${NAMESPACE} as Keyword, not Int`),
    );
  });

  it('keeps an open workflow across a restart on the same SQLite file, adding search attributes and a UI', async () => {
    const before = current ?? (await start());
    // No worker polls this task queue: the run stays open, which is what must survive.
    const started = await new Client({ connection: before.connection, namespace: NAMESPACE }).workflow.start('unpolled', {
      taskQueue: 'nobody-polls',
      workflowId: WORKFLOW_ID,
      searchAttributes: { PlaybookId: ['onboarding'] },
    });
    await stop();

    const after = await start({ ...SEARCH_ATTRIBUTES, PlaybookStatus: 'Keyword' }, true);
    expect(after.server.address).not.toBe(before.server.address);
    expect(after.server.uiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(after.server.uiUrl as string)).status).toBe(200);
    const client = new Client({ connection: after.connection, namespace: NAMESPACE });
    const description = await client.workflow.getHandle(WORKFLOW_ID).describe();
    expect(description.runId).toBe(started.firstExecutionRunId);
    expect(description.status.name).toBe('RUNNING');
    expect(description.searchAttributes).toMatchObject({ PlaybookId: ['onboarding'] });
    const { customAttributes } = await after.connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
    expect(customAttributes).toMatchObject({ PlaybookStatus: KEYWORD });
  });

  it('gives a (non-time-skipping) test environment on the running server', async () => {
    const { server } = current ?? (await start());
    const env = await createDevServerTestEnv(server);
    try {
      expect(env.supportsTimeSkipping).toBe(false);
      expect(env.namespace).toBe(NAMESPACE);
      const { namespaceInfo } = await env.connection.workflowService.describeNamespace({ namespace: NAMESPACE });
      expect(namespaceInfo?.name).toBe(NAMESPACE);
    } finally {
      await env.teardown();
    }
  });

  it('refuses a chosen port that another server holds', async () => {
    const { server } = current ?? (await start());
    const port = Number(server.address.split(':')[1]);
    await expect(startDevServer({ port, uiPort: false })).rejects.toThrow(
      new ServerStartError(`Temporal dev server cannot start: port ${port} on 127.0.0.1 is already in use`),
    );
  });
});
