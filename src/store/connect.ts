/**
 * A connection pool to the store. Production and the embedded default speak the same
 * PostgreSQL protocol through the same driver (`pg`), so there is one code path for both.
 */
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { UserError } from '../errors.js';
import type { StoreDatabase } from './schema.js';

export type Store = Kysely<StoreDatabase>;

export interface OpenStoreOptions {
  /** Connections in the pool (default 10). */
  maxConnections?: number;
}

/** A pool for `url`; no connection is made until the first query. */
export function openStore(url: string, options: OpenStoreOptions = {}): Store {
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, connectionTimeoutMillis: 10_000 });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
}

/** `url` without its password, for messages. */
export function describeStoreUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

/** Network errors that mean the store cannot be reached (as opposed to a bad query). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EHOSTUNREACH', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03']);

export function isStoreUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNREACHABLE.has(code)) return true;
  return error instanceof Error && /timeout exceeded when trying to connect|Connection terminated/i.test(error.message);
}

/** Runs `use` and turns "cannot reach the store" into a message a person can act on. */
export async function withStoreErrors<T>(url: string, use: () => Promise<T>): Promise<T> {
  try {
    return await use();
  } catch (e) {
    if (isStoreUnreachable(e)) {
      const reason = (e as { code?: string }).code ?? (e as Error).message;
      throw new UserError(
        `the store at ${describeStoreUrl(url)} is not reachable (${reason}); start it (\`playbook dev\` hosts the embedded one) or set store.url`,
        'invalid',
      );
    }
    throw e;
  }
}
