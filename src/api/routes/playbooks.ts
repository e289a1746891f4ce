/** `GET /v1/playbooks`: what is deployed, with versions and triggers. */
import { describeTrigger } from '../../ir/describe-trigger.js';
import { getDeployed } from '../../temporal/registry-client.js';
import type { ApiDeps } from '../deps.js';
import { errorResponses } from '../schemas/errors.js';
import { deployedSummarySchema } from '../schemas/playbooks.js';
import type { ApiApp } from '../app.js';

export function registerPlaybookRoutes(app: ApiApp, { client }: ApiDeps): void {
  app.get(
    '/v1/playbooks',
    {
      config: { access: 'playbooks:read' },
      schema: {
        summary: 'The deployed playbooks with their versions, triggers and history, and the account fields',
        description: 'Roles: csm, csops.',
        tags: ['playbooks'],
        response: { 200: deployedSummarySchema, ...errorResponses() },
      },
    },
    async () => {
      const summary = await getDeployed(client);
      return { ...summary, playbooks: summary.playbooks.map((p) => ({ ...p, triggerText: p.triggers.map(describeTrigger) })) };
    },
  );
}
