/**
 * Rate limiting with @fastify/rate-limit: at most `max` requests in each `windowMs` per token
 * (by its name), and per IP address for requests without a token (the public routes). A
 * request over the limit is a 429 in the error shape, with `Retry-After`. Counters live in
 * this process's memory: each API process counts on its own.
 */
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from './errors.js';

export interface RateLimit {
  max: number;
  windowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { max: 6000, windowMs: 60_000 };

/** Register before the routes: the plugin adds its hook to each route added after it. */
export async function registerRateLimit(app: FastifyInstance, limit: RateLimit): Promise<void> {
  await app.register(fastifyRateLimit, {
    max: limit.max,
    timeWindow: limit.windowMs,
    // A route's hook runs after the server's own onRequest hooks, so authentication has named the caller.
    keyGenerator: (request) => (request.principal === null ? `ip:${request.ip}` : `token:${request.principal.name}`),
    errorResponseBuilder: (request, context) =>
      new ApiError(429, 'rate_limited', `${caller(request)} sent more than ${context.max} requests in ${limit.windowMs / 1000} s; retry in ${context.after}`),
  });
}

function caller(request: FastifyRequest): string {
  return request.principal === null ? request.ip : `token ${request.principal.name}`;
}
