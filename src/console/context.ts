/** What a console page is rendered with: the signed-in session, the API as that session, and the services beside it. */
import type { Client } from '@temporalio/client';
import type { Store } from '../store/connect.js';
import type { ApiClient } from './api-client.js';
import type { RunCalendars } from './run-calendars.js';
import type { Session } from './sessions.js';

export interface PageContext {
  session: Session;
  api: ApiClient;
  client: Client;
  store: Store | null;
  calendars: RunCalendars;
  /** Epoch milliseconds of this request. */
  now: number;
}

/** Thrown by a page to answer with the error page (403 for what the role may not open, 404 for what is not there). */
export class PageRefusal extends Error {
  constructor(
    readonly status: 403 | 404,
    readonly heading: string,
    message: string,
  ) {
    super(message);
    this.name = 'PageRefusal';
  }
}

export function requireCsops(ctx: PageContext, what: string): void {
  if (ctx.session.principal.role !== 'csops') {
    throw new PageRefusal(403, 'Not available to your role', `${what} is for CS Ops (csops tokens); you are signed in as ${ctx.session.principal.role}.`);
  }
}
