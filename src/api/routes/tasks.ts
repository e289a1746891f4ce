/** Tasks: a person's inbox, a task's details with its questions, and completing a task with its answers. */
import { AnswersRequiredError, completeTask, noRunMessage, NotAssigneeError, workflowIdOf } from '../../temporal/client.js';
import { UserError } from '../../errors.js';
import { bookOf } from '../book.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { inboxOf, storedInbox } from '../inbox.js';
import { getStoredTask } from '../../store/reads.js';
import { actorOf, principalOf } from '../request-context.js';
import { errorResponses } from '../schemas/errors.js';
import { completeBodySchema, completedSchema, inboxQuerySchema, inboxSchema, taskDetailsSchema, taskParamsSchema } from '../schemas/runs.js';
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
        response: { 200: taskDetailsSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { playbook, accountId, task } = request.params;
      const workflowId = workflowIdOf(playbook, accountId);
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
          "A csm token completes only tasks assigned to its user, in its book of business (404 for any other account). The run's refusal (task not open, wrong answers) is a 400 with its reason; every ask must be answered, and a missing answer is a 400 naming it (`field`: `answers.<ask>`). Roles: csm, csops.",
        tags: ['tasks'],
        params: taskParamsSchema,
        body: completeBodySchema,
        response: { 200: completedSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { playbook, accountId, task } = request.params;
      const workflowId = workflowIdOf(playbook, accountId);
      const principal = principalOf(request);
      await bookOf(client, principal)?.require(accountId, noRunMessage(workflowId, 'no open run'));
      // Whose task it is, the run decides as it takes the completion: nothing can reopen or
      // reassign the task between that check and the completion.
      const by = { role: principal.role, ...(principal.user !== undefined && { user: principal.user }) };
      try {
        await completeTask(client, workflowId, { task, by, ...(request.body.answers !== undefined && { answers: request.body.answers }) });
      } catch (e) {
        if (e instanceof NotAssigneeError) throw new ApiError(403, 'not_assignee', e.reason, { requiredRoles: ['csops'] });
        if (e instanceof AnswersRequiredError) throw new ApiError(400, 'task_refused', e.message, { field: `answers.${e.asks[0]}` });
        if (e instanceof UserError && e.kind === 'invalid') throw new ApiError(400, 'task_refused', e.message);
        throw e;
      }
      return { workflowId, task, by: actorOf(request) };
    },
  );
}
