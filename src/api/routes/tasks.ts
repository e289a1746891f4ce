/** Tasks: a person's inbox, and completing a task with its answers. */
import { completeTask, getStatus, workflowIdOf } from '../../temporal/client.js';
import { UserError } from '../../errors.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { inboxOf, sameAddress } from '../inbox.js';
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
        description: "`assignee` defaults to the token's user. Roles: csm, csops.",
        tags: ['tasks'],
        querystring: inboxQuerySchema,
        response: { 200: inboxSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const assignee = request.query.assignee ?? principalOf(request).user;
      if (assignee === undefined) throw new ApiError(400, 'invalid_query', 'give ?assignee=<email>: this token has no user', { field: 'assignee' });
      return { assignee, tasks: await inboxOf(client, assignee) };
    },
  );

  app.post(
    '/v1/runs/:playbook/:accountId/tasks/:task/complete',
    {
      config: { access: 'tasks:complete' },
      schema: {
        summary: 'Complete an open task with its answers',
        description: "A csm token completes only tasks assigned to its user. The run's refusal (task not open, wrong answers) is a 400 with its reason. Roles: csm, csops.",
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
      if (principal.role === 'csm') {
        // Whose task it is can only be read from the run; a task not open is the run's to refuse.
        const open = (await getStatus(client, workflowId)).openTasks.find((t) => t.name === task);
        if (open !== undefined && (open.assignee === null || principal.user === undefined || !sameAddress(open.assignee, principal.user))) {
          throw new ApiError(403, 'not_assignee', `task ${task} is assigned to ${open.assignee ?? 'nobody'}; a csm token completes only tasks assigned to its user (${principal.user ?? 'none'})`, {
            requiredRoles: ['csops'],
          });
        }
      }
      try {
        await completeTask(client, workflowId, { task, ...(request.body.answers !== undefined && { answers: request.body.answers }) });
      } catch (e) {
        if (e instanceof UserError && e.kind === 'invalid') throw new ApiError(400, 'task_refused', e.message);
        throw e;
      }
      return { workflowId, task, by: actorOf(request) };
    },
  );
}
