/** The signature header of the routes integrations write to, for the OpenAPI document. */
import * as z from 'zod';

export const signedHeadersSchema = z.looseObject({
  'playbook-signature': z.string().optional().describe('Required with integration tokens: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>'),
});

/** The sentence each such route's description ends its signing rule with. */
export const SIGNED_WRITES = 'Integration tokens must sign the raw body (`Playbook-Signature`, see docs/api.md).';
