/**
 * The audit log: every write request (anything but GET and HEAD), once answered, is logged
 * with who made it (token name and role), what it addressed (route, account, playbook,
 * task) and the outcome (status and error code). The token itself is never logged.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

export function registerAuditLog(app: FastifyInstance, logger: Logger): void {
  app.addHook('onResponse', async (request, reply) => {
    if (request.method === 'GET' || request.method === 'HEAD') return;
    const principal = request.principal;
    logger.info(
      {
        audit: {
          requestId: request.id,
          token: principal?.name ?? null,
          role: principal?.role ?? null,
          method: request.method,
          route: request.routeOptions.url ?? request.url,
          ...target(request),
          status: reply.statusCode,
          outcome: reply.statusCode < 400 ? 'ok' : (request.errorCode ?? 'error'),
        },
      },
      `${request.method} ${request.routeOptions.url ?? request.url} ${reply.statusCode}`,
    );
  });
}

/** The account(s), playbook and task the request addressed, from its path and body. */
function target(request: FastifyRequest): Record<string, unknown> {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  const accountId = params.accountId ?? body.accountId;
  if (typeof accountId === 'string') out.accountId = accountId;
  if (Array.isArray(body.accountIds)) out.accounts = body.accountIds.length;
  if (Array.isArray(body.accounts)) out.accounts = body.accounts.length;
  if (typeof params.playbook === 'string') out.playbook = params.playbook;
  if (typeof params.task === 'string') out.task = params.task;
  if (typeof body.name === 'string') out.event = body.name;
  return out;
}
