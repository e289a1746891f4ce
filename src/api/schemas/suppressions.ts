/** The suppression list: contacts that customer-facing email never reaches. */
import * as z from 'zod';
import { UNSUBSCRIBED } from '../../store/suppressions.js';
import { accountIdSchema } from './accounts.js';

export const suppressionSchema = z
  .object({
    address: z.string().describe('The contact, lower-cased'),
    reason: z.string().describe('Why, as the timeline shows it: `unsubscribed`, `hard bounce`…'),
    source: z.string().describe('Where it came from: `link`, `event`, `api:<user>`, `cli`, `import`'),
    accountId: z.string().nullable(),
    at: z.string().describe('When it was recorded, UTC ISO-8601'),
  })
  .meta({ id: 'Suppression' });

export const suppressionListSchema = z.object({ suppressions: z.array(suppressionSchema) });

export const suppressBodySchema = z.object({
  address: z.email().max(320),
  reason: z.string().min(1).max(200).default(UNSUBSCRIBED),
  accountId: accountIdSchema.optional(),
});

export const suppressedSchema = z.object({ address: z.string(), added: z.boolean().describe('false: it was suppressed already (its first reason stays)') });

export const addressParamsSchema = z.object({ address: z.string().min(1).max(320) });

export const unsubscribeParamsSchema = z.object({ token: z.string().min(1).max(2048) });
