/** `GET /healthz` and `GET /openapi.json`: no token needed. */
import type { ApiDeps } from '../deps.js';
import { healthSchema } from '../schemas/health.js';
import type { ApiApp } from '../app.js';

/** How long the health check waits for Temporal. */
const TEMPORAL_PROBE_MS = 2_000;

export function registerHealthRoutes(app: ApiApp, { client }: ApiDeps): void {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Whether the API is up and the Temporal server answers',
        tags: ['health'],
        security: [],
        response: { 200: healthSchema, 503: healthSchema },
      },
    },
    async (_request, reply) => {
      try {
        await client.withDeadline(Date.now() + TEMPORAL_PROBE_MS, () => client.workflowService.getSystemInfo({}));
        return { status: 'ok' as const, temporal: 'up' as const };
      } catch {
        return reply.status(503).send({ status: 'degraded', temporal: 'down' });
      }
    },
  );

  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());
}
