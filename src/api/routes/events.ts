/** `POST /v1/events`: an event for an account; integrations sign it. */
import { isEmailAddress } from '../../config/schema.js';
import { didYouMeanSuffix } from '../../diagnostics/suggest.js';
import { UNSUBSCRIBED_EVENT } from '../../outreach/unsubscribe-link.js';
import { suppress, UNSUBSCRIBED } from '../../store/suppressions.js';
import { refusal } from '../../runtime/refusals.js';
import { sendAccountEvent, unknownAccountMessage } from '../../temporal/account-client.js';
import {
  DEFAULT_INLINE_EVENT_PAYLOAD_BYTES,
  DEFAULT_MAX_EVENT_PAYLOAD_BYTES,
  MAX_EVENT_PAYLOAD_DEPTH,
  eventPayloadProblem,
} from '../../temporal/event-limits.js';
import { keptOutOfHistory } from '../../store/event-payloads.js';
import type { ApiApp } from '../app.js';
import { bookOf } from '../book.js';
import { deployedEventsOf, deployedPayloadProblems } from '../deployed-events.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { requireStore } from '../require-store.js';
import { actorOf, principalOf } from '../request-context.js';
import { eventAcceptedSchema, eventBodySchema } from '../schemas/accounts.js';
import { errorResponses } from '../schemas/errors.js';
import { signedHeadersSchema } from '../schemas/signature.js';

export function registerEventRoutes(
  app: ApiApp,
  { client, store = null, maxEventPayloadBytes = DEFAULT_MAX_EVENT_PAYLOAD_BYTES, inlineEventPayloadBytes = DEFAULT_INLINE_EVENT_PAYLOAD_BYTES }: ApiDeps,
): void {
  const deployedEvents = deployedEventsOf(client);
  app.post(
    '/v1/events',
    {
      config: { access: 'events:send' },
      schema: {
        summary: 'Send an event to an account',
        description:
          'The event starts the playbooks whose `on event` trigger matches and reaches the open runs waiting for it. ' +
          'Integration tokens must sign the raw body: `Playbook-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`, ' +
          'within 300 seconds of the server clock, each signature once. A csm sends events to its book of business only. ' +
          `A payload over \`api.maxEventPayloadBytes\` (default ${DEFAULT_MAX_EVENT_PAYLOAD_BYTES} bytes as JSON) or nested deeper than ${MAX_EVENT_PAYLOAD_DEPTH} is refused with 413; ` +
          `\`${UNSUBSCRIBED_EVENT}\` with \`payload.email\` is the engine's own: it suppresses that contact (the store's suppression list) and reaches runs only where a playbook takes it. ` +
          'An event that no deployed playbook takes (no `on event` trigger and no `wait for event` of any deployed release names it) is refused with 422 `unknown_event`, with a did-you-mean when a deployed name is close; ' +
          'a payload that does not fit the event as the deployed `events` declare it (a declared field missing or of the wrong type, or a field not declared) is refused with 422 `invalid_payload`, `field` naming the first (`payload.score`); ' +
          'while the account has too many inputs waiting the event is refused with 429 and `Retry-After`. ' +
          `With a store, a payload over \`api.inlineEventPayloadBytes\` (default ${DEFAULT_INLINE_EVENT_PAYLOAD_BYTES} bytes) is kept in the store and out of workflow history: ` +
          'the account and its runs get only the payload fields the deployed playbooks read. Roles: csm, csops, integration.',
        tags: ['events'],
        headers: signedHeadersSchema,
        body: eventBodySchema,
        response: { 202: eventAcceptedSchema, ...errorResponses(404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const { accountId, name, payload, eventId } = request.body;
      const tooLarge = eventPayloadProblem(payload, maxEventPayloadBytes, 'api.maxEventPayloadBytes');
      if (tooLarge !== null) throw new ApiError(413, 'event_payload_too_large', tooLarge, { field: 'payload' });
      await bookOf(client, principalOf(request))?.require(accountId, unknownAccountMessage(accountId));
      const held = await deployedEvents();
      // A read held from the last second serves an event it takes; one it would refuse is decided on a fresh read, so a deploy just made counts.
      const takes = held.has(name) && deployedPayloadProblems(held.get(name)!.declarations, payload).length === 0;
      const accepted = takes ? held : await deployedEvents({ fresh: true });
      if (name === UNSUBSCRIBED_EVENT) {
        const email = (payload as Record<string, unknown> | undefined)?.email;
        if (typeof email !== 'string' || !isEmailAddress(email)) {
          throw new ApiError(400, 'invalid_body', `${UNSUBSCRIBED_EVENT} needs payload.email, the contact's email address`, { field: 'payload' });
        }
        await suppress(requireStore(store, 'the suppression list lives in the store'), [
          { address: email, reason: UNSUBSCRIBED, source: actorOf(request), accountId },
        ]);
        if (!accepted.has(name)) return reply.status(202).send({ accountId, name, eventId: eventId ?? null });
      }
      const deployed = accepted.get(name);
      if (deployed === undefined) {
        throw new ApiError(422, 'unknown_event', refusal.noneWaitsFor('no deployed playbook', name, didYouMeanSuffix(name, accepted.keys())), {
          field: 'name',
        });
      }
      const problems = deployedPayloadProblems(deployed.declarations, payload);
      if (problems.length > 0) {
        const field = problems[0]!.slice(0, problems[0]!.indexOf(':'));
        throw new ApiError(422, 'invalid_payload', `event "${name}": ${problems.join('; ')}`, { field });
      }
      await sendAccountEvent(client, accountId, {
        name,
        by: actorOf(request),
        ...(await keptOutOfHistory(store, payload, deployed.reads, inlineEventPayloadBytes)),
        ...(eventId !== undefined && { eventId }),
      });
      return reply.status(202).send({ accountId, name, eventId: eventId ?? null });
    },
  );
}
