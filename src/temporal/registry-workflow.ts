/**
 * The deployment registry (see registry-contract.ts): one workflow that never ends by
 * itself. Deploys arrive as the `deploy` update and are applied at once (the handler never
 * waits, so each deploy is atomic); queries read what is deployed. When Temporal suggests it,
 * or after `continueAsNewAfterDeploys` deploys (a test hook), it waits until no handler is
 * running and continues as new with its state, so no deploy is lost across it.
 */
import { allHandlersFinished, condition, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { deployedQuery, deployUpdate, releaseQuery, type RegistryWorkflowInput } from './registry-contract.js';
import { applyDeploy, deployProblem, emptyRegistry, releaseOf, summarize } from './registry-state.js';

export async function playbookRegistry(input: RegistryWorkflowInput = {}): Promise<void> {
  let state = input.carried ?? emptyRegistry();
  let deploys = 0;

  setHandler(
    deployUpdate,
    (request) => {
      deploys++;
      // Workflow time: deterministic on replay.
      const applied = applyDeploy(state, request, new Date().toISOString());
      state = applied.state;
      return applied.result;
    },
    {
      validator: (request) => {
        const problem = deployProblem(request);
        if (problem !== null) throw new Error(problem);
      },
    },
  );
  setHandler(deployedQuery, () => summarize(state));
  setHandler(releaseQuery, (playbookId) => releaseOf(state, playbookId));

  const threshold = input.continueAsNewAfterDeploys;
  await condition(() => workflowInfo().continueAsNewSuggested || (threshold !== undefined && deploys >= threshold));
  await condition(allHandlersFinished);
  await continueAsNew<typeof playbookRegistry>({ carried: state, ...(threshold !== undefined && { continueAsNewAfterDeploys: threshold }) });
}
