/** `GET /v1/playbooks`: what is deployed, with versions, triggers, switches and throttles; a throttle's queue; disabling and enabling a playbook. */
import * as z from 'zod';
import { describeTrigger } from '../../ir/describe-trigger.js';
import { deployedWithSwitches, switchPlaybook } from '../../deploy/playbook-switch.js';
import { throttleQueue } from '../../temporal/throttle-client.js';
import type { ApiDeps } from '../deps.js';
import { actorOf, callerOf } from '../request-context.js';
import { requireStore } from '../require-store.js';
import { errorResponses } from '../schemas/errors.js';
import { deployedSummarySchema, disableBodySchema, switchedSchema, throttleViewSchema } from '../schemas/playbooks.js';
import { playbookIdSchema } from '../schemas/runs.js';
import type { ApiApp } from '../app.js';

export function registerPlaybookRoutes(app: ApiApp, { client, store }: ApiDeps): void {
  app.get(
    '/v1/playbooks',
    {
      config: { access: 'playbooks:read' },
      schema: {
        summary: 'The deployed playbooks with their versions, triggers, history and switches, and the account fields',
        description: 'A playbook is `enabled` unless disabled in the store (without a store every playbook is). Roles: csm, csops.',
        tags: ['playbooks'],
        response: { 200: deployedSummarySchema, ...errorResponses() },
      },
    },
    async () => {
      const summary = await deployedWithSwitches(client, store ?? null);
      return { ...summary, playbooks: summary.playbooks.map((p) => ({ ...p, triggerText: p.triggers.map(describeTrigger) })) };
    },
  );

  app.get(
    '/v1/playbooks/:playbook/throttle',
    {
      config: { access: 'playbooks:throttle' },
      schema: {
        summary: "The enrollment throttle's queue of a playbook with `start at most N per day`",
        description:
          'The firings of its triggers past N a day, in the order they fired, each with its account and when it fired; they start in that order on later ' +
          'days, N a day (the queue before that day’s new firings). Days are local days of the playbook calendar’s zone. 404 for a playbook not deployed ' +
          'or without the line. Roles: csops.',
        tags: ['playbooks'],
        params: z.object({ playbook: playbookIdSchema }),
        response: { 200: throttleViewSchema, ...errorResponses(404) },
      },
    },
    async (request) => throttleQueue(client, request.params.playbook),
  );

  for (const enabled of [false, true]) {
    app.post(
      `/v1/playbooks/:playbook/${enabled ? 'enable' : 'disable'}`,
      {
        config: { access: 'playbooks:switch' },
        schema: {
          summary: enabled ? 'Switch a disabled playbook on again' : 'Switch a deployed playbook off: no new runs start',
          description: enabled
            ? 'Triggers and manual starts start runs of it again, from the next firing on (firings while it was disabled are not made up); ' +
              'the runs its disable paused (`pauseRuns`) are resumed. Enabling an enabled playbook changes nothing. Needs a store. Roles: csops.'
            : "No trigger (event, date, cadence, `when`) and no manual start starts a run of it while disabled: the account's trigger log records each " +
              'firing as `refused` with the reason `playbook disabled`, and a manual start answers 409 `playbook_disabled`. Open runs go on; with ' +
              '`pauseRuns` they are paused (as `POST /v1/runs/{playbook}/{accountId}/pause` would). The switch is kept in the store, with who and when. Roles: csops.',
          tags: ['playbooks'],
          params: z.object({ playbook: playbookIdSchema }),
          ...(!enabled && { body: disableBodySchema }),
          response: { 200: switchedSchema, ...errorResponses(400, 404) },
        },
      },
      async (request) => {
        const body = (request.body ?? {}) as z.infer<typeof disableBodySchema>;
        return switchPlaybook(client, requireStore(store, 'the switch of a playbook is kept in the store'), {
          playbook: request.params.playbook,
          enabled,
          by: actorOf(request),
          caller: callerOf(request),
          pauseRuns: body.pauseRuns === true,
        });
      },
    );
  }
}
