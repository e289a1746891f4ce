/**
 * Access control on every route: a bearer token identifies the caller (401 when missing or
 * unknown), the route's access must be granted to its role (403 naming the roles that have
 * it), and every write of an integration (any method but GET and HEAD: account upserts,
 * imports, events) must be signed with its secret (401 otherwise). Tokens are checked before
 * the body is read, signatures once it is read. Which accounts a csm may address is the
 * routes' to decide (book.ts): only they know the account.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from './errors.js';
import { allows, rolesWith } from './roles.js';
import { ReplayGuard, SIGNATURE_HEADER, verifySignature, type ReplayMemory } from './signature.js';
import type { Principal, TokenLookup } from './tokens/store.js';

export interface AuthOptions {
  tokens: TokenLookup;
  integrations: Record<string, string>;
  clock: () => number;
  /** Where accepted signatures are remembered; default this process's memory. */
  replays?: ReplayMemory;
}

export function registerAuth(app: FastifyInstance, { tokens, integrations, clock, replays = new ReplayGuard() }: AuthOptions): void {
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    // Unknown routes go on to the 404 handler; public routes need no token.
    if (request.is404 || access === undefined || access === 'public') return;
    const principal = await authenticate(request.headers.authorization, tokens);
    // Set before the role check, so a refused request is logged with who made it.
    request.principal = principal;
    if (!allows(principal.role, access)) {
      const needed = rolesWith(access);
      throw new ApiError(403, 'forbidden', `this needs a ${needed.join(' or ')} token; token ${principal.name} has role ${principal.role}`, {
        requiredRoles: needed,
      });
    }
  });

  app.addHook('preValidation', async (request) => {
    const principal = request.principal;
    if (principal?.role !== 'integration' || !isWrite(request.method)) return;
    const secret = principal.integration === undefined ? undefined : integrations[principal.integration];
    if (secret === undefined) {
      throw new ApiError(
        401,
        'bad_signature',
        `no signing secret is configured for integration ${principal.integration ?? '(none)'} of token ${principal.name}`,
      );
    }
    const header = request.headers[SIGNATURE_HEADER];
    await verifySignature(Array.isArray(header) ? header.join(',') : header, request.rawBody ?? Buffer.alloc(0), secret, clock(), replays);
  });
}

/** The methods an integration must sign; reads carry no body to sign. */
function isWrite(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD';
}

async function authenticate(authorization: string | undefined, tokens: TokenLookup): Promise<Principal> {
  if (authorization === undefined || authorization === '') {
    throw new ApiError(401, 'unauthorized', 'missing token: send Authorization: Bearer <token> (create one with `playbook tokens create`)');
  }
  const match = /^Bearer +(\S+) *$/i.exec(authorization);
  if (match === null) throw new ApiError(401, 'unauthorized', 'the Authorization header must be Bearer <token>');
  let principal: Principal | null;
  try {
    principal = await tokens.lookup(match[1]!);
  } catch (e) {
    // A broken token store is the server's problem, not the caller's: a 500, logged.
    throw new Error(`cannot read the token store: ${(e as Error).message}`, { cause: e });
  }
  if (principal === null) throw new ApiError(401, 'unauthorized', 'unknown or revoked token');
  return principal;
}
