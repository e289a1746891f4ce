/** What the API's hooks attach to Fastify's requests and route configs. */
import type { TaskCaller } from '../temporal/contract.js';
import type { Access } from './roles.js';
import type { Principal } from './tokens/store.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route needs; `public` needs no token. */
    access?: Access | 'public';
  }
  interface FastifyRequest {
    /** The caller, once authenticated; null on public routes. */
    principal: Principal | null;
    /** The body's bytes as received, for signature checks; null without a JSON body. */
    rawBody: Buffer | null;
    /** The error code the request ended with, for the audit log. */
    errorCode: string | null;
  }
}

/** The principal of an authenticated route (the hooks guarantee one). */
export function principalOf(request: { principal: Principal | null }): Principal {
  if (request.principal === null) throw new Error('route reached without an authenticated principal');
  return request.principal;
}

/** `api:<token name>`: how the API's actions are attributed in account entities and deployments. */
export function actorOf(request: { principal: Principal | null }): string {
  return `api:${principalOf(request).name}`;
}

/** The caller as a run checks it and its timeline names it (the user, else the role). */
export function callerOf(request: { principal: Principal | null }): TaskCaller {
  const principal = principalOf(request);
  return { role: principal.role, ...(principal.user !== undefined && { user: principal.user }) };
}
