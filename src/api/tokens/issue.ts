/**
 * Creating a token: the request is checked (a csm names its user and perhaps granted
 * accounts, an integration names a configured integration), the secret is drawn, and only its hash is stored. The secret is
 * returned once, to be shown once.
 */
import { UserError } from '../../errors.js';
import { isEmailAddress } from '../../config/schema.js';
import { ROLES, type Role } from '../roles.js';
import { hashToken, newTokenSecret } from './secret.js';
import type { FileTokenStore, TokenRecord } from './store.js';

export interface TokenRequest {
  name: string;
  role: string;
  user?: string;
  integration?: string;
  /** csm only: account ids added to its book of business. */
  grants?: string[];
}

const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export async function issueToken(
  store: FileTokenStore,
  request: TokenRequest,
  integrations: readonly string[],
  now: Date,
): Promise<{ token: string; record: TokenRecord }> {
  const role = checkRole(request.role);
  if (!TOKEN_NAME.test(request.name)) {
    throw new UserError(
      `--name must be 1 to 64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit; got ${JSON.stringify(request.name)}`,
      'usage',
    );
  }
  checkUser(role, request.user);
  checkIntegration(role, request.integration, integrations);
  const grants = checkGrants(role, request.grants ?? []);
  const token = newTokenSecret();
  const record: TokenRecord = {
    name: request.name,
    role,
    ...(request.user !== undefined && { user: request.user }),
    ...(request.integration !== undefined && { integration: request.integration }),
    ...(grants.length > 0 && { grants }),
    hash: hashToken(token),
    createdAt: now.toISOString(),
  };
  await store.add(record);
  return { token, record };
}

function checkRole(role: string): Role {
  const known = ROLES.find((r) => r === role);
  if (known === undefined) throw new UserError(`--role must be one of ${ROLES.join(', ')}; got ${JSON.stringify(role)}`, 'usage');
  return known;
}

function checkUser(role: Role, user: string | undefined): void {
  if (role === 'integration' && user !== undefined)
    throw new UserError('--user is for csm and csops tokens; an integration token names its --integration', 'usage');
  if (role === 'csm' && user === undefined) throw new UserError('a csm token needs --user <email>: the CSM whose tasks it may complete', 'usage');
  if (user !== undefined && !isEmailAddress(user)) throw new UserError(`--user must be an email address, got ${JSON.stringify(user)}`, 'usage');
}

function checkGrants(role: Role, grants: readonly string[]): string[] {
  if (grants.length > 0 && role !== 'csm') throw new UserError('--grant-account is for csm tokens: other roles are not limited to a book of business', 'usage');
  const empty = grants.find((id) => id.trim() === '');
  if (empty !== undefined) throw new UserError('--grant-account needs an account id', 'usage');
  return [...new Set(grants)];
}

function checkIntegration(role: Role, integration: string | undefined, integrations: readonly string[]): void {
  if (role !== 'integration') {
    if (integration !== undefined) throw new UserError('--integration is only for integration tokens', 'usage');
    return;
  }
  if (integration === undefined)
    throw new UserError('an integration token needs --integration <name>: its entry in api.integrations, whose secret signs its events', 'usage');
  if (!integrations.includes(integration)) {
    const configured = integrations.length === 0 ? 'none is configured' : `configured: ${integrations.join(', ')}`;
    throw new UserError(`unknown integration ${JSON.stringify(integration)}: add it to api.integrations in the configuration (${configured})`, 'usage');
  }
}
