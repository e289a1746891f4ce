/** Accounts: upsert one, import many (all or nothing), read one. */
import { importAccounts } from '../../accounts/import/import.js';
import { UserError } from '../../errors.js';
import { ACCOUNT_DATA_MAX_BYTES, accountDataProblem } from '../../ir/account-check.js';
import { getAccount, unknownAccountMessage, upsertAccount } from '../../temporal/account-client.js';
import { checkedAccounts, checkedUpdate } from '../account-checks.js';
import { bookOf } from '../book.js';
import type { ApiDeps } from '../deps.js';
import { ApiError } from '../errors.js';
import { actorOf, principalOf } from '../request-context.js';
import { accountFieldsSchema, accountIdSchema, accountStateSchema, bulkAccountsBodySchema, bulkImportedSchema, upsertedSchema } from '../schemas/accounts.js';
import { errorResponses } from '../schemas/errors.js';
import type { ApiApp } from '../app.js';
import { SIGNED_WRITES, signedHeadersSchema } from '../schemas/signature.js';
import * as z from 'zod';

const accountParams = z.object({ accountId: accountIdSchema });

export function registerAccountRoutes(app: ApiApp, { client, taskQueue, maxAccountDataBytes = ACCOUNT_DATA_MAX_BYTES }: ApiDeps): void {
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
      // A new account holds nothing yet; one whose state cannot be read now (no worker) is
      // checked by its entity alone, which drops an upsert over the bound with an alert.
      const current = await getAccount(client, accountId).then(
        (state) => state.data,
        (e: unknown) => (e instanceof UserError && e.kind === 'notFound' ? {} : null),
      );
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
      const accounts = await checkedAccounts(client, request.body.accounts);
      return importAccounts(client, taskQueue, accounts, { by: actorOf(request) });
    },
  );

  app.get(
    '/v1/accounts/:accountId',
    {
      config: { access: 'accounts:read' },
      schema: {
        summary: "An account's data, open runs, planned date triggers and recent triggers",
        description: 'A csm reads the accounts of its book of business only (404 for any other). Roles: csm, csops, integration.',
        tags: ['accounts'],
        params: accountParams,
        response: { 200: accountStateSchema, ...errorResponses(404) },
      },
    },
    async (request) => {
      const { accountId } = request.params;
      const state = await getAccount(client, accountId);
      const book = bookOf(client, principalOf(request));
      if (book !== null && !(await book.holds(state.data))) throw new ApiError(404, 'not_found', unknownAccountMessage(accountId));
      return state;
    },
  );
}
