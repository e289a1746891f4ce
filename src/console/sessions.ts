/**
 * Console sessions: signing in with an API token creates one, kept in this process's memory
 * (the token never reaches the browser again; the cookie holds a random session id). A session
 * has a fixed expiry, and a CSRF token that every form carries and every POST must echo.
 * Sessions end on sign-out, on expiry, and when the token is revoked (the API refuses it).
 * A restarted `serve` forgets them: people sign in again.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Principal } from '../api/tokens/store.js';

export const DEFAULT_SESSION_TTL_MS = 8 * 3_600_000;

export interface Session {
  id: string;
  /** The API token it signed in with: the console's requests to the API carry it. */
  token: string;
  principal: Principal;
  csrf: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly clock: () => number,
    readonly ttlMs: number = DEFAULT_SESSION_TTL_MS,
  ) {}

  create(token: string, principal: Principal): Session {
    this.sweep();
    const session = { id: randomToken(), token, principal, csrf: randomToken(), expiresAt: this.clock() + this.ttlMs };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session of that id, or null (unknown or expired). */
  get(id: string | undefined): Session | null {
    if (id === undefined) return null;
    const session = this.sessions.get(id);
    if (session === undefined) return null;
    if (session.expiresAt <= this.clock()) {
      this.sessions.delete(id);
      return null;
    }
    return session;
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  /** Expired sessions are dropped as new ones come, so memory holds live sessions only. */
  private sweep(): void {
    const now = this.clock();
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id);
  }
}

export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares two secrets in constant time (for the CSRF token a form echoes). */
export function sameSecret(a: string | undefined, b: string): boolean {
  if (a === undefined) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
