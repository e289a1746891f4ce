/** The demo's output is its progress lines; the Temporal SDK's informational logs would bury them. */
import { IllegalStateError } from '@temporalio/common';
import { DefaultLogger, Runtime } from '@temporalio/worker';

export function quietTemporalLogs(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch (e) {
    // This process already set up the SDK (e.g. the CLI run in a test): keep its logger.
    if (!(e instanceof IllegalStateError)) throw e;
  }
}
