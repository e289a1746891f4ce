/** Runs: start a playbook for one or many accounts, list runs, read one, pause, resume or cancel it. */
import type { Client } from '@temporalio/client';
import * as z from 'zod';
import { UserError } from '../../errors.js';
import { startPlaybookFor, unknownAccountMessage } from '../../temporal/account-client.js';
import { DISABLED_REASON, type StartOutcome, type StartPlaybookRequest } from '../../temporal/account-contract.js';
import { statusLiveOrStored } from '../../ops/run-view.js';
import { summaryOfStoredRun } from '../../ops/stored-runs.js';
import { listStoredRuns, storedDeliveries } from '../../store/reads.js';
import { requireStore } from '../require-store.js';
import { cancel, getStatus, listRuns, noRunMessage, pause, resume, type RunSummary } from '../../temporal/client.js';
import { runOfRequest, workflowIdOfAddress } from '../run-path.js';
import { getDeployed } from '../../temporal/registry-client.js';
import { bookOf, type Book } from '../book.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { mapLimit } from '../../util/map-limit.js';
import { actorOf, callerOf, principalOf } from '../request-context.js';
import { errorResponses } from '../schemas/errors.js';
import {
  bulkStartedSchema,
  controlledSchema,
  playbookIdSchema,
  runListSchema,
  runDeliveriesSchema,
  runKeyQuerySchema,
  runParamsSchema,
  runQuerySchema,
  runStatusSchema,
  startBodySchema,
  startedSchema,
  type startResultSchema,
} from '../schemas/runs.js';
import type { ApiApp } from '../app.js';

/** Starts in flight at once for a bulk start. */
const START_CONCURRENCY = 16;

type StartResult = z.infer<typeof startResultSchema>;

export function registerRunRoutes(app: ApiApp, { client, store }: ApiDeps): void {
  app.post(
    '/v1/playbooks/:playbook/runs',
    {
      config: { access: 'runs:start' },
      schema: {
        summary: 'Start a playbook for one account or many',
        description:
          '`{"accountId"}` answers 201 with the run, 409 when one is already open (`already_open`) or the playbook is disabled (`playbook_disabled`), 422 when the playbook refuses a manual start. ' +
          '`{"accountIds": [...]}` answers 200 with one result per account. A csm starts runs for its book of business only (any other account is unknown to it). Roles: csm, csops.',
        tags: ['runs'],
        params: z.object({ playbook: playbookIdSchema }),
        body: startBodySchema,
        response: { 200: bulkStartedSchema, 201: startedSchema, ...errorResponses(404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { playbook } = request.params;
      const deployed = await getDeployed(client);
      if (!deployed.playbooks.some((p) => p.id === playbook)) throw new ApiError(404, 'not_found', `playbook ${playbook} is not deployed`);
      // The entities decide with triggers at least as new as this read: a deploy just made counts.
      const start = { playbook, by: actorOf(request), minGeneration: deployed.generation };
      const book = bookOf(client, principalOf(request));
      const { accountId, accountIds } = request.body;
      if (accountIds !== undefined) {
        const results = await mapLimit(accountIds, START_CONCURRENCY, (id) => startOne(client, id, start, book));
        return reply.status(200).send({ results });
      }
      await book?.require(accountId!, unknownAccountMessage(accountId!));
      const outcome: StartOutcome = await startPlaybookFor(client, accountId!, start);
      switch (outcome.status) {
        case 'started':
          return reply.status(201).send({ workflowId: outcome.workflowId, version: outcome.version });
        case 'alreadyOpen':
          throw new ApiError(409, 'already_open', `a run of ${playbook} for account ${accountId} is already open`, { workflowId: outcome.workflowId });
        case 'refused':
          if (outcome.reason.startsWith(DISABLED_REASON)) throw new ApiError(409, 'playbook_disabled', `${playbook} is disabled: ${outcome.reason}`);
          throw new ApiError(422, 'refused', outcome.reason);
      }
    },
  );

  app.get(
    '/v1/runs',
    {
      config: { access: 'runs:read' },
      schema: {
        summary: 'Find runs',
        description:
          'Newest first. With a store configured, from the store, paged: pass `next` as `after` for the next page; ' +
          "without one, from Temporal's visibility store (a new run shows a moment after it started) and `next` is null. " +
          'A csm sees the runs of its book of business only: the first `limit` runs found, less the others. Roles: csm, csops.',
        tags: ['runs'],
        querystring: runQuerySchema,
        response: { 200: runListSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const { open, limit, after, ...filter } = request.query;
      const query = { ...filter, ...(open !== undefined && { openOnly: open === 'true' }), ...(limit !== undefined && { limit }) };
      const book = bookOf(client, principalOf(request));
      let page: { runs: RunSummary[]; next: string | null };
      if (store) {
        const stored = await listStoredRuns(store, { ...query, ...(after !== undefined && { after }) });
        page = { runs: stored.items.map(summaryOfStoredRun), next: stored.next };
      } else {
        page = { runs: await listRuns(client, query), next: null };
      }
      return { runs: book === null ? page.runs : await book.only(page.runs, (run) => run.accountId), next: page.next };
    },
  );

  app.get(
    '/v1/runs/:playbook/:accountId',
    {
      config: { access: 'runs:read' },
      schema: {
        summary: "A run's status: stage, timeline, pending waits, open tasks",
        description:
          "From the run's status query while its workflow exists; a run whose workflow Temporal's retention deleted is read from the store " +
          '(its timeline and final status; no waits or open tasks). A csm reads the runs of its book of business only (404 for any other). Roles: csm, csops.',
        tags: ['runs'],
        params: runParamsSchema,
        querystring: runKeyQuerySchema,
        response: { 200: runStatusSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      const workflowId = workflowIdOfAddress(runOfRequest(request));
      await bookOf(client, principalOf(request))?.require(accountId, noRunMessage(workflowId, 'no run'));
      return store ? statusLiveOrStored(client, store, workflowId) : getStatus(client, workflowId);
    },
  );

  app.get(
    '/v1/runs/:playbook/:accountId/deliveries',
    {
      config: { access: 'runs:read' },
      schema: {
        summary: "A run's deliveries: state, attempts, the provider's message id",
        description:
          "From the store's delivery ledger: each email, notification, webhook and record the newest run of this playbook for the account sent or is sending, " +
          "with what the receiver answered (the SMTP Message-ID and the server's reply with its queue id, a webhook's response id header). Needs a store. " +
          'A csm reads the runs of its book of business only (404 for any other). Roles: csm, csops.',
        tags: ['runs'],
        params: runParamsSchema,
        querystring: runKeyQuerySchema,
        response: { 200: runDeliveriesSchema, ...errorResponses(400, 404) },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      const workflowId = workflowIdOfAddress(runOfRequest(request));
      await bookOf(client, principalOf(request))?.require(accountId, noRunMessage(workflowId, 'no run'));
      const deliveries = await storedDeliveries(requireStore(store, "a run's deliveries are read from the store"), workflowId);
      if (deliveries === null) throw new ApiError(404, 'not_found', noRunMessage(workflowId, 'no run'));
      return { workflowId, deliveries };
    },
  );

  const controls = { pause, resume, cancel } as const;
  for (const action of ['pause', 'resume', 'cancel'] as const) {
    app.post(
      `/v1/runs/:playbook/:accountId/${action}`,
      {
        config: { access: 'runs:control' },
        schema: {
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} a run`,
          description: `${CONTROL_DESCRIPTIONS[action]} Roles: csops.`,
          tags: ['runs'],
          params: runParamsSchema,
          querystring: runKeyQuerySchema,
          response: { 200: controlledSchema, ...errorResponses(404) },
        },
      },
      async (request) => {
        const workflowId = workflowIdOfAddress(runOfRequest(request));
        // The timeline's pause, resume or cancel entry names who sent it.
        await controls[action](client, workflowId, { by: callerOf(request) });
        return { workflowId, action };
      },
    );
  }
}

const CONTROL_DESCRIPTIONS = {
  pause: 'While paused no new step starts; timers keep counting. A `pause` entry names who paused it.',
  resume: 'Steps start again. A `resume` entry names who resumed it.',
  cancel:
    "Ends the run at once as cancelled; actions already started still complete. Its timeline's last entry, `cancel`, and its store row name who cancelled it.",
} as const;

/** One account of a bulk start; an unknown account (or one outside a csm's book) is a result, not a failure of the batch. */
async function startOne(client: Client, accountId: string, start: StartPlaybookRequest, book: Book | null): Promise<StartResult> {
  if (book !== null && !(await book.has(accountId))) return { accountId, status: 'notFound', reason: unknownAccountMessage(accountId) };
  try {
    const outcome = await startPlaybookFor(client, accountId, start);
    return { accountId, ...outcome };
  } catch (e) {
    if (e instanceof UserError && e.kind === 'notFound') return { accountId, status: 'notFound', reason: e.message };
    throw e;
  }
}
