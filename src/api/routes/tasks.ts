/** Tasks: a person's inbox, and completing a task with its answers. */
import { completeTask, noRunMessage, NotAssigneeError, workflowIdOf } from '../../temporal/client.js';
import { UserError } from '../../errors.js';
import { bookOf } from '../book.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { inboxOf } from '../inbox.js';
import { actorOf, principalOf } from '../request-context.js';
import { errorResponses } from '../schemas/errors.js';
import { completeBodySchema, completedSchema, inboxQuerySchema, inboxSchema, taskParamsSchema } from '../schemas/runs.js';
import type { ApiApp } from '../app.js';

export function registerTaskRoutes(app: ApiApp, { client }: ApiDeps): void {
  app.get(
    '/v1/tasks',
    {
      config: { access: 'tasks:read' },
      schema: {
        summary: "A person's open tasks",
        description: "`assignee` defaults to the token's user. A csm sees the tasks of its book of business only. Roles: csm, csops.",
        tags: ['tasks'],
        querystring: inboxQuerySchema,
        response: { 200: inboxSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const assignee = request.query.assignee ?? principalOf(request).user;
      if (assignee === undefined) throw new ApiError(400, 'invalid_query', 'give ?assignee=<email>: this token has no user', { field: 'assignee' });
      const tasks = await inboxOf(client, assignee);
      const book = bookOf(client, principalOf(request));
      return { assignee, tasks: book === null ? tasks : await book.only(tasks, (t) => t.accountId) };
    },
  );

  app.post(
    '/v1/runs/:playbook/:accountId/tasks/:task/complete',
    {
      config: { access: 'tasks:complete' },
      schema: {
        summary: 'Complete an open task with its answers',
        description: "A csm token completes only tasks assigned to its user, in its book of business (404 for any other account). The run's refusal (task not open, wrong answers) is a 400 with its reason. Roles: csm, csops.",
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
        if (e instanceof UserError && e.kind === 'invalid') throw new ApiError(400, 'task_refused', e.message);
        throw e;
      }
      return { workflowId, task, by: actorOf(request) };
    },
  );
}
