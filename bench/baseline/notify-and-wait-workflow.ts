/**
 * The throughput benchmark's baseline: `playbooks/notify-and-wait.playbook` of this folder
 * written by hand as an idiomatic Temporal workflow, with the same activities, signal and
 * status search attribute as the product's `playbook` workflow. Not used by the product.
 */
import { condition, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { eventSignal, searchAttributes } from '../../src/temporal/contract.js';
import { performer, type RunOutcome } from './workflow-kit.js';

export interface NotifyAndWaitInput {
  account: { id: string; name: string; csm: string };
}

const PLAYBOOK = 'notify-and-wait';

export async function notifyAndWait({ account }: NotifyAndWaitInput): Promise<RunOutcome> {
  const info = workflowInfo();
  const perform = performer({ workflowId: info.workflowId, runId: info.firstExecutionRunId, accountId: account.id });
  const notify = (text: string) => perform({ kind: 'notify', to: account.csm, text }, PLAYBOOK);
  let go = false;
  setHandler(eventSignal, ({ name }) => void (go ||= name === 'go'));
  upsertSearchAttributes([{ key: searchAttributes.status, value: 'running' }]);

  await notify(`Welcome aboard, ${account.name}`);
  await notify(`Second notice for ${account.name}`);
  await notify(`Third notice for ${account.name}`);
  await condition(() => go, '1 hour');
  await notify(`Done for ${account.name}`);

  upsertSearchAttributes([{ key: searchAttributes.status, value: 'completed' }]);
  return { outcome: 'completed', outcomeLabel: null };
}
