/**
 * `POST /inbound/email/<secret>`: mail providers post the mail that comes in (replies to
 * customer emails) here, as raw MIME (`message/rfc822`), Postmark's JSON or Mailgun's form
 * fields (outreach/inbound-shapes.ts). The secret in the path is `outreach.inboundSecret`: the
 * providers cannot sign with the API's scheme, so the URL is the credential (wrong or none
 * configured: 404). Every mail is stored; one that answers a sent email reaches its account's
 * runs as `email.replied` (outreach/replies.ts); a delivery status notification is a bounce.
 * `POST /inbound/bounce/<secret>` takes the bounce webhooks of Postmark and Mailgun
 * (outreach/bounces.ts). A body of no known shape gets a 400 naming what is missing.
 */
import { timingSafeEqual } from 'node:crypto';
import * as z from 'zod';
import { bouncesFromWebhook } from '../../outreach/bounces.js';
import { fromMailgun, fromMime, fromPostmark } from '../../outreach/inbound-shapes.js';
import type { InboundEmail } from '../../outreach/replies.js';
import type { ApiApp } from '../app.js';
import type { ApiDeps } from '../deps.js';
import { bounceTaker, inboundMailTaker } from '../inbound-mail.js';
import { ApiError } from '../errors.js';
import { requireStore } from '../require-store.js';

const paramsSchema = z.object({ secret: z.string().min(1).max(512) });

export function registerInboundRoutes(app: ApiApp, { client, store = null, inboundSecret = null, logger, bounceNotices }: ApiDeps): void {
  void app.register(async (instance) => {
    const scope = instance as unknown as ApiApp;
    scope.addContentTypeParser('message/rfc822', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(body as string))),
    );
    scope.post('/inbound/email/:secret', { config: { access: 'public' }, schema: { hide: true, params: paramsSchema } }, async (request, reply) => {
      if (inboundSecret === null || !sameSecret(request.params.secret, inboundSecret)) throw new ApiError(404, 'not_found', 'no such route');
      const db = requireStore(store, 'inbound mail is kept in the store');
      const type = request.headers['content-type'] ?? '';
      let mail: InboundEmail;
      if (type.startsWith('message/rfc822')) mail = await fromMime(request.body as Buffer, 'http');
      else if (type.startsWith('application/x-www-form-urlencoded')) mail = fromMailgun(request.body as Record<string, string>);
      else mail = fromPostmark(request.body);
      return reply.status(202).send(await inboundMailTaker(client, db, logger, bounceNotices)(mail));
    });
    // Bounce webhooks (Postmark's bounce webhook, Mailgun's `failed` events): outreach/bounces.ts.
    scope.post('/inbound/bounce/:secret', { config: { access: 'public' }, schema: { hide: true, params: paramsSchema } }, async (request, reply) => {
      if (inboundSecret === null || !sameSecret(request.params.secret, inboundSecret)) throw new ApiError(404, 'not_found', 'no such route');
      const db = requireStore(store, 'bounces are kept in the store');
      const bounces = bouncesFromWebhook(request.body);
      return reply.status(202).send({ bounces: await bounceTaker(db, logger, bounceNotices)(bounces) });
    });
  });
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
