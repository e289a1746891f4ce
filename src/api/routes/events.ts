/** `POST /v1/events`: an event for an account; integrations sign it. */
import { sendAccountEvent, unknownAccountMessage } from '../../temporal/account-client.js';
import { bookOf } from '../book.js';
import type { ApiDeps } from '../deps.js';
import { actorOf, principalOf } from '../request-context.js';
import { eventAcceptedSchema, eventBodySchema } from '../schemas/accounts.js';
import { errorResponses } from '../schemas/errors.js';
import { signedHeadersSchema } from '../schemas/signature.js';
import type { ApiApp } from '../server.js';

export function registerEventRoutes(app: ApiApp, { client }: ApiDeps): void {
  app.post(
    '/v1/events',
    {
      config: { access: 'events:send' },
      schema: {
        summary: 'Send an event to an account',
        description:
          'The event starts the playbooks whose `on event` trigger matches and reaches the open runs waiting for it. ' +
          'Integration tokens must sign the raw body: `Playbook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, ' +
          'within 300 seconds of the server clock, each signature once. A csm sends events to its book of business only. Roles: csm, csops, integration.',
        tags: ['events'],
        headers: signedHeadersSchema,
        body: eventBodySchema,
        response: { 202: eventAcceptedSchema, ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      const { accountId, name, payload, eventId } = request.body;
      await bookOf(client, principalOf(request))?.require(accountId, unknownAccountMessage(accountId));
      await sendAccountEvent(client, accountId, {
        name,
        by: actorOf(request),
        ...(payload !== undefined && { payload }),
        ...(eventId !== undefined && { eventId }),
      });
      return reply.status(202).send({ accountId, name, eventId: eventId ?? null });
    },
  );
}
