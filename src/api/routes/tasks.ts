/** Tasks: a person's inbox, a task's details with its questions, completing a task with its answers, reassigning, snoozing and closing it. */
import { parseInstant } from '../../calendar/index.js';
import type { TaskChange } from '../../runtime/inputs.js';
import { AnswersRefusedError, changeTask, completeTask, noRunMessage, NotAssigneeError } from '../../temporal/client.js';
import { runOfRequest, workflowIdOfAddress } from '../run-path.js';
import type { ChangeTaskUpdate } from '../../temporal/contract.js';
import { UserError } from '../../errors.js';
import { bookOf } from '../book.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { inboxOf, storedInbox } from '../inbox.js';
import { getStoredTask } from '../../store/reads.js';
import { actorOf, callerOf, principalOf } from '../request-context.js';
import { errorResponses } from '../schemas/errors.js';
import {
  closeBodySchema,
  completeBodySchema,
  completedSchema,
  inboxQuerySchema,
  inboxSchema,
  reassignBodySchema,
  runKeyQuerySchema,
  snoozeBodySchema,
  taskChangedSchema,
  taskDetailsSchema,
  taskParamsSchema,
} from '../schemas/runs.js';
import type * as z from 'zod';
import type { ApiApp } from '../app.js';

export function registerTaskRoutes(app: ApiApp, { client, store }: ApiDeps): void {
  app.get(
    '/v1/tasks',
    {
      config: { access: 'tasks:read' },
      schema: {
        summary: "A person's open tasks",
        description:
          "`assignee` defaults to the token's user. With a store configured, from the store: soonest due first (undated last), paged by `after`; " +
          "without one, from the open runs' status queries (`next` is null). A csm sees the tasks of its book of business only. Roles: csm, csops.",
        tags: ['tasks'],
        querystring: inboxQuerySchema,
        response: { 200: inboxSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const assignee = request.query.assignee ?? principalOf(request).user;
      if (assignee === undefined) throw new ApiError(400, 'invalid_query', 'give ?assignee=<email>: this token has no user', { field: 'assignee' });
      const { limit, after } = request.query;
      const page = store
        ? await storedInbox(store, assignee, { ...(limit !== undefined && { limit }), ...(after !== undefined && { after }) })
        : { tasks: await inboxOf(client, assignee), next: null };
      const book = bookOf(client, principalOf(request));
      return { assignee, tasks: book === null ? page.tasks : await book.only(page.tasks, (t) => t.accountId), next: page.next };
    },
  );

  app.get(
    '/v1/runs/:playbook/:accountId/tasks/:task',
    {
      config: { access: 'tasks:read' },
      schema: {
        summary: 'A task with its questions, so a form can be built',
        description:
          "The run's latest task of that name, from the store: title, assignee, due, state, each `ask` question with its type, and once completed the answers and who gave them. " +
          '404 for an unknown run or task, and without a store configured. A csm reads the tasks of its book of business only. Roles: csm, csops.',
        tags: ['tasks'],
        params: taskParamsSchema,
        querystring: runKeyQuerySchema,
        response: { 200: taskDetailsSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { accountId, task } = request.params;
      const workflowId = workflowIdOfAddress(runOfRequest(request));
      const missing = `no task ${task} in a run with workflow id ${workflowId}`;
      await bookOf(client, principalOf(request))?.require(accountId, missing);
      if (!store) throw new ApiError(404, 'not_found', `${missing}: task details are read from the store, and none is configured (store.url)`);
      const details = await getStoredTask(store, workflowId, task);
      if (details === null) throw new ApiError(404, 'not_found', missing);
      return details;
    },
  );

  app.post(
    '/v1/runs/:playbook/:accountId/tasks/:task/complete',
    {
      config: { access: 'tasks:complete' },
      schema: {
        summary: 'Complete an open task with its answers',
        description:
          "A csm token completes only tasks assigned to its user, in its book of business (404 for any other account). The run's refusal (task not open, wrong answers) is a 400 with its reason; every ask that is not `optional` and has no `default` must be answered; a missing answer, or one that does not fit its ask's type (a date as `YYYY-MM-DD`), is a 400 naming the ask (`field`: `answers.<ask>`). Roles: csm, csops.",
        tags: ['tasks'],
        params: taskParamsSchema,
        querystring: runKeyQuerySchema,
        body: completeBodySchema,
        response: { 200: completedSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { accountId, task } = request.params;
      const workflowId = workflowIdOfAddress(runOfRequest(request));
      const principal = principalOf(request);
      await bookOf(client, principal)?.require(accountId, noRunMessage(workflowId, 'no open run'));
      // Whose task it is, the run decides as it takes the completion: nothing can reopen or
      // reassign the task between that check and the completion.
      const by = callerOf(request);
      try {
        await completeTask(client, workflowId, { task, by, ...(request.body.answers !== undefined && { answers: request.body.answers }) });
      } catch (e) {
        if (e instanceof NotAssigneeError) throw new ApiError(403, 'not_assignee', e.reason, { requiredRoles: ['csops'] });
        if (e instanceof AnswersRefusedError) throw new ApiError(400, 'task_refused', e.message, { field: `answers.${e.asks[0]}` });
        if (e instanceof UserError && e.kind === 'invalid') throw new ApiError(400, 'task_refused', e.message);
        throw e;
      }
      return { workflowId, task, by: actorOf(request) };
    },
  );

  registerTaskChange(app, client, 'reassign', reassignBodySchema, {
    summary: 'Reassign an open task',
    description:
      'The task goes to `to`, who is told of it (email or chat, as for notifications) with a link to it in the console; a snooze ends. ' +
      "The timeline's `task-reassigned` entry names who reassigned it.",
    change: (task, body) => ({ kind: 'reassign', task, to: body.to }),
  });
  registerTaskChange(app, client, 'snooze', snoozeBodySchema, {
    summary: 'Snooze an open task',
    description:
      'The task stays open and leaves the inbox until `until`; the playbook keeps its clock for it (the reminders and the deadline of a `wait for` it come as written). ' +
      'An instant that is not later than now is a 400. The `task-snoozed` entry names who snoozed it.',
    change: (task, body) => ({ kind: 'snooze', task, until: parseInstant(body.until)! }),
  });
  registerTaskChange(app, client, 'close', closeBodySchema, {
    summary: 'Close an open task without completing it',
    description:
      'The task is closed with `reason` and never completed: a `wait for` it ends at once as at its deadline (its `on timeout` block runs, then the playbook goes on), and its answers stay empty. ' +
      'The `task-closed` entry names who closed it.',
    change: (task, body) => ({ kind: 'close', task, reason: body.reason }),
  });
}

interface TaskChangeRoute<B> {
  summary: string;
  description: string;
  change: (task: string, body: B) => Omit<ChangeTaskUpdate, 'by'> & Pick<TaskChange, 'kind'>;
}

/** `POST /v1/runs/:playbook/:accountId/tasks/:task/<action>`: a change the run checks like a completion. */
function registerTaskChange<B>(app: ApiApp, client: ApiDeps['client'], action: TaskChange['kind'], body: z.ZodType<B>, route: TaskChangeRoute<B>): void {
  app.post(
    `/v1/runs/:playbook/:accountId/tasks/:task/${action}`,
    {
      config: { access: 'tasks:change' },
      schema: {
        summary: route.summary,
        description: `${route.description} A csm token changes only tasks assigned to its user (403), in its book of business (404 for any other account). The run's refusal (task not open, bad value) is a 400 with its reason. Roles: csm, csops.`,
        tags: ['tasks'],
        params: taskParamsSchema,
        querystring: runKeyQuerySchema,
        body,
        response: { 200: taskChangedSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { accountId, task } = request.params as { playbook: string; accountId: string; task: string };
      const workflowId = workflowIdOfAddress(runOfRequest(request as Parameters<typeof runOfRequest>[0]));
      const principal = principalOf(request);
      await bookOf(client, principal)?.require(accountId, noRunMessage(workflowId, 'no open run'));
      const by = callerOf(request);
      try {
        await changeTask(client, workflowId, { ...route.change(task, request.body as B), by });
      } catch (e) {
        if (e instanceof NotAssigneeError) throw new ApiError(403, 'not_assignee', e.reason, { requiredRoles: ['csops'] });
        if (e instanceof UserError && e.kind === 'invalid') throw new ApiError(400, 'task_refused', e.message);
        throw e;
      }
      return { workflowId, task, action, by: by.user ?? by.role };
    },
  );
}
