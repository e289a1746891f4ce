/**
 * Accounts: upsert one, import many (all or nothing), read one; with a store, the account list
 * and an account's trigger log, events received and timeline across its runs, read from it.
 */
import { importAccounts } from '../../accounts/import/import.js';
import { ACCOUNT_DATA_MAX_BYTES, accountDataProblem } from '../../ir/account-check.js';
import type { Store } from '../../store/connect.js';
import {
  getStoredAccount,
  listStoredAccounts,
  storedAccountEvents,
  storedAccountInBook,
  storedAccountTimeline,
  storedTriggerLog,
} from '../../store/account-reads.js';
import { getAccount, heldAccountData, unknownAccountMessage, upsertAccount } from '../../temporal/account-client.js';
import { checkedAccounts, checkedUpdate } from '../account-checks.js';
import { bookOf, type Book } from '../book.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { requireStore } from '../require-store.js';
import { actorOf, principalOf } from '../request-context.js';
import { accountFieldsSchema, accountIdSchema, accountStateSchema, bulkAccountsBodySchema, bulkImportedSchema, upsertedSchema } from '../schemas/accounts.js';
import {
  accountEventsSchema,
  accountListQuerySchema,
  accountListSchema,
  accountPageQuerySchema,
  accountTimelineSchema,
  storedAccountSchema,
  triggerLogSchema,
} from '../schemas/account-records.js';
import { errorResponses } from '../schemas/errors.js';
import type { ApiApp } from '../app.js';
import { SIGNED_WRITES, signedHeadersSchema } from '../schemas/signature.js';
import * as z from 'zod';

const accountParams = z.object({ accountId: accountIdSchema });

const STORE_ONLY =
  'Read from the store; without one configured (`store`), 400. A csm reads the accounts of its book of business only (404 for any other). Roles: csm, csops, integration.';

export function registerAccountRoutes(app: ApiApp, { client, taskQueue, store, maxAccountDataBytes = ACCOUNT_DATA_MAX_BYTES }: ApiDeps): void {
  /** 404 unless the store has the account and, for a csm, it is in the book. */
  const requireStored = async (db: Store, accountId: string, book: Book | null): Promise<void> => {
    const known = book === null ? (await getStoredAccount(db, accountId)) !== null : await storedAccountInBook(db, accountId, await book.scope());
    if (!known) throw new ApiError(404, 'not_found', unknownAccountMessage(accountId));
  };

  app.put(
    '/v1/accounts/:accountId',
    {
      config: { access: 'accounts:write' },
      schema: {
        summary: 'Create or update an account',
        description:
          'The body holds values of declared account fields (null clears one); they are checked against the deployed `account fields`. ' +
          `An update that would take the account's whole data over \`api.maxAccountDataBytes\` (default ${ACCOUNT_DATA_MAX_BYTES} bytes as JSON) is refused with 413. ${SIGNED_WRITES} Roles: csops, integration.`,
        tags: ['accounts'],
        params: accountParams,
        headers: signedHeadersSchema,
        body: accountFieldsSchema,
        response: { 200: upsertedSchema, ...errorResponses(409, 413) },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      const fields = await checkedUpdate(client, request.body);
      // An account whose state cannot be read now is checked by its entity alone, which drops an
      // upsert over the bound with an alert.
      const current = await heldAccountData(client, accountId);
      const tooLarge = current === null ? null : accountDataProblem(current, fields, maxAccountDataBytes, 'api.maxAccountDataBytes');
      if (tooLarge !== null) throw new ApiError(413, 'account_too_large', tooLarge);
      await upsertAccount(client, taskQueue, accountId, { fields, by: actorOf(request), maxDataBytes: maxAccountDataBytes });
      return { accountId, fields };
    },
  );

  app.post(
    '/v1/accounts/bulk',
    {
      config: { access: 'accounts:write' },
      schema: {
        summary: 'Import many accounts',
        description: `Every account is checked first; one bad account imports nothing and the 400 lists each problem with its index and field. ${SIGNED_WRITES} Roles: csops, integration.`,
        tags: ['accounts'],
        headers: signedHeadersSchema,
        body: bulkAccountsBodySchema,
        response: { 200: bulkImportedSchema, ...errorResponses(409) },
      },
    },
    async (request) => {
      const accounts = await checkedAccounts(client, request.body.accounts, { store: store ?? null, maxBytes: maxAccountDataBytes });
      return importAccounts(client, taskQueue, accounts, { by: actorOf(request) });
    },
  );

  app.get(
    '/v1/accounts/:accountId',
    {
      config: { access: 'accounts:read' },
      schema: {
        summary: "An account's data, open runs, planned date triggers and recent triggers",
        description:
          "The entity's live state (data, the runs it forwards to, planned date triggers, `when` conditions, recent triggers); with a store, " +
          '`record` is what the store holds of it (when and by whom it was last changed, its open runs), null until it is stored. ' +
          'A csm reads the accounts of its book of business only (404 for any other). Roles: csm, csops, integration.',
        tags: ['accounts'],
        params: accountParams,
        response: { 200: accountStateSchema.extend({ record: storedAccountSchema.nullable().optional() }), ...errorResponses(404) },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      const state = await getAccount(client, accountId);
      const book = bookOf(client, principalOf(request));
      if (book !== null && !(await book.holds(state.data))) throw new ApiError(404, 'not_found', unknownAccountMessage(accountId));
      return store ? { ...state, record: await getStoredAccount(store, accountId) } : state;
    },
  );

  app.get(
    '/v1/accounts',
    {
      config: { access: 'accounts:read' },
      schema: {
        summary: 'Find accounts',
        description: `By name, then id; \`q\` searches the name and the id, \`segment\` and \`csm\` filter; paged: pass \`next\` as \`cursor\`. A csm lists its book of business. ${STORE_ONLY}`,
        tags: ['accounts'],
        querystring: accountListQuerySchema,
        response: { 200: accountListSchema, ...errorResponses() },
      },
    },
    async (request) => {
      const db = requireStore(store);
      const { q, segment, csm, limit, cursor } = request.query;
      const book = bookOf(client, principalOf(request));
      const page = await listStoredAccounts(db, {
        ...(q !== undefined && { q }),
        ...(segment !== undefined && { segment }),
        ...(csm !== undefined && { csm }),
        ...(limit !== undefined && { limit }),
        ...(cursor !== undefined && { cursor }),
        ...(book !== null && { book: await book.scope() }),
      });
      return { accounts: page.items, next: page.next };
    },
  );

  app.get(
    '/v1/accounts/:accountId/trigger-log',
    {
      config: { access: 'accounts:read' },
      schema: {
        summary: "An account's trigger log: every trigger that fired or was refused and the run it started",
        description: `Newest first, paged: pass \`next\` as \`cursor\`. ${STORE_ONLY}`,
        tags: ['accounts'],
        params: accountParams,
        querystring: accountPageQuerySchema,
        response: { 200: triggerLogSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const db = requireStore(store);
      const { accountId } = request.params;
      await requireStored(db, accountId, bookOf(client, principalOf(request)));
      const page = await storedTriggerLog(db, accountId, request.query);
      return { accountId, triggers: page.items, next: page.next };
    },
  );

  app.get(
    '/v1/accounts/:accountId/events',
    {
      config: { access: 'accounts:read' },
      schema: {
        summary: 'The events an account received: payload, source, the runs they reached and the triggers they fired',
        description: `Newest first, paged: pass \`next\` as \`cursor\`. ${STORE_ONLY}`,
        tags: ['accounts'],
        params: accountParams,
        querystring: accountPageQuerySchema,
        response: { 200: accountEventsSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const db = requireStore(store);
      const { accountId } = request.params;
      await requireStored(db, accountId, bookOf(client, principalOf(request)));
      const page = await storedAccountEvents(db, accountId, request.query);
      return { accountId, events: page.items, next: page.next };
    },
  );

  app.get(
    '/v1/accounts/:accountId/timeline',
    {
      config: { access: 'accounts:read' },
      schema: {
        summary: "The timeline across all an account's runs, finished ones included",
        description: `Newest first, each entry with its run; paged: pass \`next\` as \`cursor\`. ${STORE_ONLY}`,
        tags: ['accounts'],
        params: accountParams,
        querystring: accountPageQuerySchema,
        response: { 200: accountTimelineSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const db = requireStore(store);
      const { accountId } = request.params;
      await requireStored(db, accountId, bookOf(client, principalOf(request)));
      const page = await storedAccountTimeline(db, accountId, request.query);
      return { accountId, entries: page.items, next: page.next };
    },
  );
}
