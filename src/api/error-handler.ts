/**
 * Every error leaves as the one JSON shape (see errors.ts); unknown routes are 404s in it
 * too. An unexpected error is logged with the request id and answered with the id alone.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ApiError, toApiError } from './errors.js';

export function registerErrorHandling(app: FastifyInstance, logger: Logger): void {
  app.setErrorHandler(async (error, request, reply) => {
    const known = toApiError(error);
    const apiError = known ?? new ApiError(500, 'internal', `internal error; the server log has the details under request id ${request.id}`);
    if (known === null) logger.error({ err: error, requestId: request.id, method: request.method, url: request.url }, 'request failed');
    request.errorCode = apiError.code;
    if (apiError.status === 401) void reply.header('www-authenticate', 'Bearer');
    for (const [name, value] of Object.entries(apiError.headers)) void reply.header(name, value);
    return reply.status(apiError.status).send(apiError.body(request.id));
  });

  app.setNotFoundHandler(async (request, reply) => {
    const error = new ApiError(404, 'not_found', `no route ${request.method} ${request.url.split('?')[0]}`);
    request.errorCode = error.code;
    return reply.status(404).send(error.body(request.id));
  });
}
