/**
 * The console reads and writes through the API, in process (`inject`), with the session's
 * token: the same roles, book-of-business scoping, validation and audit log as any API
 * client, from one place. An API error becomes a `ConsoleError` the error page shows.
 */
import type { FastifyInstance } from 'fastify';
import type * as z from 'zod';
import type { ApiErrorBody } from '../api/schemas/errors.js';
import type { Session } from './sessions.js';

export class ConsoleError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string = 'error',
    /** The API's `field` for a refused request (`answers.reached`). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ConsoleError';
  }
}

export type ApiOf<S extends z.ZodType> = z.infer<S>;

export class ApiClient {
  constructor(
    private readonly app: FastifyInstance,
    private readonly session: Session,
  ) {}

  get<T>(url: string): Promise<T> {
    return this.call<T>('GET', url);
  }

  post<T>(url: string, body: unknown = {}): Promise<T> {
    return this.call<T>('POST', url, body);
  }

  private async call<T>(method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
    const response = await this.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${this.session.token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
    const parsed: unknown = response.body === '' ? null : JSON.parse(response.body);
    if (response.statusCode >= 400) {
      const error = (parsed as ApiErrorBody | null)?.error;
      throw new ConsoleError(response.statusCode, error?.message ?? `the API answered ${response.statusCode}`, error?.code, error?.field);
    }
    return parsed as T;
  }
}

/** A query string of the given values, leaving out empty ones. */
export function query(values: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== '') params.set(key, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}
