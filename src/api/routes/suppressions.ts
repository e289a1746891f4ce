/**
 * Opt-outs: the suppression list (`/v1/suppressions`) and the one-click unsubscribe links that
 * customer-facing email carries (`/unsubscribe/<token>`, RFC 8058). A link's GET shows a page
 * that asks to confirm (mail scanners open links; opening must not unsubscribe); its POST —
 * the confirm button, or the mail client's one-click request — records the opt-out.
 */
import * as z from 'zod';
import { UNSUBSCRIBE_PATH, verifyUnsubscribeToken } from '../../outreach/unsubscribe-link.js';
import type { Store } from '../../store/connect.js';
import { listSuppressions, normalAddress, suppress, UNSUBSCRIBED, unsuppress } from '../../store/suppressions.js';
import { escapeHtml } from '../../util/html.js';
import type { ApiApp } from '../app.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { requireStore } from '../require-store.js';
import { actorOf } from '../request-context.js';
import { errorResponses } from '../schemas/errors.js';
import { addressParamsSchema, suppressBodySchema, suppressedSchema, suppressionListSchema, unsubscribeParamsSchema } from '../schemas/suppressions.js';

export function registerSuppressionRoutes(app: ApiApp, { store = null, unsubscribeKey }: ApiDeps): void {
  const storeOrRefuse = (): Store => requireStore(store, 'the suppression list lives in the store');

  app.get(
    '/v1/suppressions',
    {
      config: { access: 'suppressions:read' },
      schema: {
        summary: 'The suppression list',
        description: 'Contacts that customer-facing email from any playbook never reaches; internal notifications are not affected. Roles: csm, csops.',
        tags: ['suppressions'],
        response: { 200: suppressionListSchema, ...errorResponses() },
      },
    },
    async () => ({ suppressions: await listSuppressions(storeOrRefuse()) }),
  );

  app.post(
    '/v1/suppressions',
    {
      config: { access: 'suppressions:write' },
      schema: {
        summary: 'Suppress a contact',
        description:
          'Records that `address` must get no more customer-facing email; an address suppressed already keeps its first reason. Roles: csm, csops, integration (signed).',
        tags: ['suppressions'],
        body: suppressBodySchema,
        response: { 200: suppressedSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const { address, reason, accountId } = request.body;
      const added = await suppress(storeOrRefuse(), [{ address, reason, source: actorOf(request), accountId: accountId ?? null }]);
      return { address: normalAddress(address), added: added > 0 };
    },
  );

  app.delete(
    '/v1/suppressions/:address',
    {
      config: { access: 'suppressions:lift' },
      schema: {
        summary: 'Lift a suppression',
        description: 'The contact may get customer-facing email again (only when they asked for it: an opt-out is theirs to lift). Roles: csops.',
        tags: ['suppressions'],
        params: addressParamsSchema,
        response: { 204: z.null().describe('Lifted'), ...errorResponses(404) },
      },
    },
    async (request, reply) => {
      if (!(await unsuppress(storeOrRefuse(), request.params.address))) {
        throw new ApiError(404, 'not_found', `${normalAddress(request.params.address)} is not suppressed`);
      }
      return reply.status(204).send(null);
    },
  );

  /** The claim of a link, or a page saying it is not one of ours. */
  const claimOf = (token: string) => (unsubscribeKey === undefined ? null : verifyUnsubscribeToken(unsubscribeKey, token));

  // The links' own scope: mail clients post them as a form (`List-Unsubscribe=One-Click`),
  // which the API's JSON-only body rule refuses elsewhere. The form's content is not needed.
  void app.register(async (instance) => {
    const scope = instance as unknown as ApiApp;
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, _body, done) => done(null, {}));
    scope.get(
      `${UNSUBSCRIBE_PATH}/:token`,
      { config: { access: 'public' }, schema: { hide: true, params: unsubscribeParamsSchema } },
      async (request, reply) => {
        const claim = claimOf(request.params.token);
        if (claim === null) return reply.status(400).type('text/html; charset=utf-8').send(page('This unsubscribe link is not valid.', ''));
        const form = `<form method="post"><button type="submit">Unsubscribe ${escapeHtml(claim.address)}</button></form>`;
        return reply.type('text/html; charset=utf-8').send(page(`Stop emails to ${escapeHtml(claim.address)}?`, form));
      },
    );

    scope.post(
      `${UNSUBSCRIBE_PATH}/:token`,
      { config: { access: 'public' }, schema: { hide: true, params: unsubscribeParamsSchema } },
      async (request, reply) => {
        const claim = claimOf(request.params.token);
        if (claim === null) return reply.status(400).type('text/html; charset=utf-8').send(page('This unsubscribe link is not valid.', ''));
        await suppress(storeOrRefuse(), [{ address: claim.address, reason: UNSUBSCRIBED, source: 'link', accountId: claim.accountId }]);
        return reply
          .type('text/html; charset=utf-8')
          .send(page(`${escapeHtml(claim.address)} is unsubscribed.`, '<p>You will get no more of these emails.</p>'));
      },
    );
  });
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head><body><h1>${title}</h1>${body}</body></html>\n`;
}
