import { Connection } from '@temporalio/client';
// Internal to the SDK, but it is how the SDK itself asks for the TestService that time
// skipping needs (see TestWorkflowEnvironment.create in @temporalio/testing 1.24).
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection.js';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Runtime } from '@temporalio/worker';
import type { DevServer } from './dev-server.js';
import { startTimeSkippingServer, type TimeSkippingServer, type TimeSkippingServerOptions } from './test-server.js';

/**
 * A time-skipping TestWorkflowEnvironment on a test server this project started itself.
 *
 * The SDK offers two ways, neither enough: `createTimeSkipping` launches the binary itself and
 * gives it a fixed 5 s to answer with its output inherited (too short on a busy 2-core
 * machine, and a failure says nothing useful); `createFromExistingServer` connects to a
 * server we started but always turns time skipping off. So this subclass uses the protected
 * constructor with time skipping on, and its teardown also stops the server.
 */
class OwnServerTimeSkippingEnvironment extends TestWorkflowEnvironment {
  static async connectTo(server: TimeSkippingServer): Promise<TestWorkflowEnvironment> {
    const address = server.address;
    const internal = { [InternalConnectionOptionsSymbol]: { supportsTestService: true } };
    const nativeConnection = await NativeConnection.connect({ address, ...internal });
    try {
      const connection = await Connection.connect({ address, ...internal });
      return new OwnServerTimeSkippingEnvironment(server, connection, nativeConnection);
    } catch (error) {
      await nativeConnection.close();
      throw error;
    }
  }

  private constructor(
    private readonly ownServer: TimeSkippingServer,
    connection: Connection,
    nativeConnection: NativeConnection,
  ) {
    const options = { server: { type: 'existing' as const }, client: {}, plugins: [] };
    super(Runtime.instance(), options, true, 'existing', connection, nativeConnection, 'default', ownServer.address);
  }

  override async teardown(): Promise<void> {
    try {
      await super.teardown();
    } finally {
      await this.ownServer.stop();
    }
  }
}

/**
 * Starts a time-skipping test server and returns a TestWorkflowEnvironment on it (namespace
 * "default"); `env.teardown()` closes the connections and stops the server.
 */
export async function createTestEnv(options: TimeSkippingServerOptions = {}): Promise<TestWorkflowEnvironment> {
  const server = await startTimeSkippingServer(options);
  try {
    return await OwnServerTimeSkippingEnvironment.connectTo(server);
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * A TestWorkflowEnvironment (no time skipping) on a running dev server. Its teardown closes
 * the connections only: the caller started the server and stops it.
 */
export function createDevServerTestEnv(server: DevServer): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createFromExistingServer({ address: server.address, namespace: server.namespace });
}
