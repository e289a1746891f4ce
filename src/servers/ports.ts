import { createServer } from 'node:net';
import { ServerStartError } from './readiness.js';

/**
 * Asks the OS for a free TCP port on 127.0.0.1. The port is released before it is returned,
 * so another process could take it first; a server that then fails to bind exits, and the
 * readiness check reports that with the server's own message (`startRetryingPortRaces`
 * starts it again on fresh ports).
 */
export async function findFreePort(): Promise<number> {
  const port = await listenBriefly(0);
  if (port === undefined) throw new Error('could not get a free port on 127.0.0.1');
  return port;
}

/** Whether `port` on 127.0.0.1 can be bound right now. */
export async function isPortFree(port: number): Promise<boolean> {
  return (await listenBriefly(port)) !== undefined;
}

/** Binds `port` (0: any) on 127.0.0.1 and releases it; the bound port, or undefined if taken. */
function listenBriefly(port: number): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(undefined);
      else reject(error);
    });
    probe.listen(port, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
    });
  });
}

const PORT_RACE_ATTEMPTS = 3;

/**
 * Calls `start` again, up to three times in all, while it fails because a port was taken
 * between `findFreePort` and the server's bind (another server starting at the same moment
 * got it). `start` must choose its free ports afresh on each call and clean up after a failure.
 */
export async function startRetryingPortRaces<T>(start: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await start();
    } catch (error) {
      if (attempt >= PORT_RACE_ATTEMPTS || !(error instanceof ServerStartError && error.portTaken)) throw error;
    }
  }
}
