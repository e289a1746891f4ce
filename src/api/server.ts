/**
 * The HTTP API: Fastify with zod schemas for every request and response, the OpenAPI
 * document generated from them (`GET /openapi.json`), bearer-token access control, signed
 * events from integrations, per-token rate limits, one JSON error shape, and an audit log of
 * writes.
 * `buildApiServer` returns the instance without listening.
 */
import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { ApiApp } from './app.js';
import { registerAuditLog } from './audit.js';
import { registerAuth } from './auth.js';
import type { ApiDeps } from './deps.js';
import { registerErrorHandling } from './error-handler.js';
import { registerJsonBody } from './json-body.js';
import { DEFAULT_RATE_LIMIT, registerRateLimit } from './rate-limit.js';
import './request-context.js';
import { registerAccountRoutes } from './routes/accounts.js';
import { registerDeploymentRoutes } from './routes/deployments.js';
import { registerEventRoutes } from './routes/events.js';
import { registerHealthRoutes } from './routes/health.js';
import { registerPlaybookRoutes } from './routes/playbooks.js';
import { registerReportRoutes } from './routes/reports.js';
import { registerRunRoutes } from './routes/runs.js';
import { registerInboundRoutes } from './routes/inbound.js';
import { registerSuppressionRoutes } from './routes/suppressions.js';
import { registerTaskRoutes } from './routes/tasks.js';
import { ACCOUNT_ID_MAX_LENGTH } from '../ir/account-check.js';
import { registerConsole } from '../console/console.js';

export const API_VERSION = '1.0.0';
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export async function buildApiServer(deps: ApiDeps): Promise<ApiApp> {
  const app = Fastify({
    loggerInstance: deps.logger,
    // Writes are logged by the audit hook, errors by the error handler; no per-request noise.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    // A client that has not sent its whole request in time is answered 408 and disconnected.
    requestTimeout: deps.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    // The router's default (100) is shorter than the longest account id, more so once
    // percent-encoded (up to 12 characters each); longer parameters fail validation with a 400.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: ACCOUNT_ID_MAX_LENGTH * 12 },
  }).withTypeProvider<ZodTypeProvider>() as unknown as ApiApp;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorateRequest('principal', null);
  app.decorateRequest('rawBody', null);
  app.decorateRequest('errorCode', null);

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Playbook engine API',
        description: 'Accounts, events, playbook runs and tasks of the playbook engine. See docs/api.md.',
        version: API_VERSION,
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token (`playbook tokens create`)' },
        },
      },
      security: [{ bearerAuth: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  const plain = app as unknown as FastifyInstance;
  registerJsonBody(plain);
  registerErrorHandling(plain, deps.logger);
  registerAuth(plain, deps);
  registerAuditLog(plain, deps.logger);
  await registerRateLimit(plain, deps.rateLimit ?? DEFAULT_RATE_LIMIT);

  registerHealthRoutes(app, deps);
  registerAccountRoutes(app, deps);
  registerEventRoutes(app, deps);
  registerRunRoutes(app, deps);
  registerTaskRoutes(app, deps);
  registerPlaybookRoutes(app, deps);
  registerReportRoutes(app, deps);
  registerDeploymentRoutes(app, deps);
  registerSuppressionRoutes(app, deps);
  registerInboundRoutes(app, deps);
  // The console at `/`: pages that read and write through the routes above, as the signed-in token.
  await registerConsole(plain, deps);
  return app;
}
