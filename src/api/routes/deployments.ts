/** `POST /v1/deployments`: check a workspace sent as files and deploy it. */
import { deployPrepared } from '../../deploy/deploy.js';
import { prepareDeployment } from '../../deploy/prepare.js';
import { diagnosticsJson } from '../../diagnostics/render.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { actorOf } from '../request-context.js';
import { errorResponses } from '../schemas/errors.js';
import { deploymentBodySchema, deploymentResultSchema } from '../schemas/playbooks.js';
import type { ApiApp } from '../app.js';
import { workspaceFromFiles } from '../workspace-files.js';

export function registerDeploymentRoutes(app: ApiApp, { client, taskQueue, store }: ApiDeps): void {
  app.post(
    '/v1/deployments',
    {
      config: { access: 'deploy' },
      schema: {
        summary: 'Check a workspace and deploy its playbooks',
        description:
          'The workspace is checked and compiled in memory; with errors nothing is deployed and the 400 lists the diagnostics (code, message, file, line, col). ' +
          'Running playbooks keep their version; triggers and new starts use the new one. The source of each new version is kept in the store, when one is configured. Roles: csops.',
        tags: ['playbooks'],
        body: deploymentBodySchema,
        response: { 200: deploymentResultSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const prepared = prepareDeployment(workspaceFromFiles(request.body.files), actorOf(request));
      if (!prepared.ok) {
        const diagnostics = diagnosticsJson(prepared.diagnostics);
        const errors = diagnostics.filter((d) => d.severity === 'error');
        const first = errors[0]!;
        throw new ApiError(
          400,
          'check_failed',
          `the workspace has ${errors.length} error${errors.length === 1 ? '' : 's'}, nothing was deployed; first: ${first.file}:${first.line}:${first.col}: ${first.message}`,
          { diagnostics },
        );
      }
      const deployed = await deployPrepared(client, taskQueue, prepared, { dryRun: request.body.dryRun === true, store });
      return { dryRun: deployed.dryRun, ...deployed.result, notified: deployed.notified, warnings: diagnosticsJson(deployed.warnings) };
    },
  );
}
