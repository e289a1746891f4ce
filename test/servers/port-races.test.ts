import { createServer, type Server } from 'node:net';
import { describe, expect, it } from 'vitest';
import { findTemporalCli } from '../../src/servers/binaries.js';
import { findFreePort, startRetryingPortRaces } from '../../src/servers/ports.js';
import { ServerStartError, waitUntilReady } from '../../src/servers/readiness.js';
import { spawnServer } from '../../src/servers/server-process.js';

const TAKEN = new ServerStartError(
  'Temporal dev server exited with code 1 before it was ready; its last output:\nlisten tcp 127.0.0.1:40889: bind: address already in use',
);

describe('startRetryingPortRaces', () => {
  it('starts again while a port was taken, and returns the first start that succeeds', async () => {
    let calls = 0;
    const started = await startRetryingPortRaces(async () => {
      calls += 1;
      if (calls < 3) throw TAKEN;
      return 'running';
    });
    expect(started).toBe('running');
    expect(calls).toBe(3);
  });

  it('gives up after three starts that lost the race, with the last error', async () => {
    let calls = 0;
    const starting = startRetryingPortRaces(async () => {
      calls += 1;
      throw TAKEN;
    });
    await expect(starting).rejects.toBe(TAKEN);
    expect(calls).toBe(3);
  });

  it('does not start again for any other failure', async () => {
    let calls = 0;
    const failure = new ServerStartError('Temporal dev server was not ready at 127.0.0.1:7233 within 60 s');
    const starting = startRetryingPortRaces(async () => {
      calls += 1;
      throw failure;
    });
    await expect(starting).rejects.toBe(failure);
    expect(calls).toBe(1);
  });
});

describe('ServerStartError.portTaken', () => {
  it("recognises PostgreSQL's wording", () => {
    const error = new ServerStartError(
      'PostgreSQL exited with code 1 before it accepted connections:\nLOG:  could not bind IPv4 address "127.0.0.1": Address already in use',
    );
    expect(error.portTaken).toBe(true);
  });

  it("recognises the real Temporal dev server's failure to bind a taken port", async () => {
    const holder = await listening();
    try {
      const port = (holder.address() as { port: number }).port;
      const server = spawnServer(findTemporalCli(), ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--headless']);
      const address = `127.0.0.1:${port}`;
      const error = await waitUntilReady(server, {
        name: 'Temporal dev server',
        address,
        timeoutMs: 30_000,
        probe: () => Promise.reject(new Error('not ours')),
      }).then(
        () => undefined,
        (e: unknown) => e,
      );
      await server.stop();
      expect(error).toBeInstanceOf(ServerStartError);
      expect((error as ServerStartError).portTaken).toBe(true);
    } finally {
      holder.close();
    }
  });
});

async function listening(): Promise<Server> {
  const port = await findFreePort();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}
