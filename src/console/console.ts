/**
 * The console: server-rendered pages at `/` beside the API at `/v1`, for CSMs (their tasks)
 * and CS Ops (runs, playbooks). Signing in with an API token starts a session (an httpOnly,
 * SameSite=Strict cookie); every form carries the session's CSRF token and every POST must
 * echo it; pages read and write through the API as the session's token (api-client.ts), so
 * roles and books of business are the API's. No script runs but the bundled diagram and chart scripts:
 * the Content-Security-Policy allows only files served from here.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiDeps } from '../api/deps.js';
import { runOfRequest, runPathOf, type RunAddress } from '../api/run-path.js';
import { readAnswers } from './answers.js';
import { ApiClient, ConsoleError } from './api-client.js';
import { loadAssets } from './assets.js';
import { PageRefusal, requireCsops, type PageContext } from './context.js';
import type { Html } from './html.js';
import { errorPage } from './layout.js';
import { accountPage, accountsPage, startFor } from './pages/accounts.js';
import { dashboardPage, type DashboardFilter } from './pages/dashboard.js';
import { playbookPage, playbooksPage, SWITCHES, switchConfirmPage, type Switch } from './pages/playbooks.js';
import { CONTROLS, confirmPage, runPage, runPath, runsPage, RUN_FILTERS, type Control, type RunFilter } from './pages/runs.js';
import { signInPage } from './pages/sign-in.js';
import { loadTask, SNOOZE_DAYS, taskPage, tasksPage } from './pages/tasks.js';
import { RunCalendars } from './run-calendars.js';
import { randomToken, sameSecret, SessionStore, type Session } from './sessions.js';

export const SESSION_COOKIE = 'playbook_session';
const SIGN_IN_COOKIE = 'playbook_sign_in';

const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export interface ConsoleOptions {
  /** How long a session lasts from sign-in; default 8 hours. */
  sessionTtlMs?: number;
}

type Form = Record<string, unknown>;
type Handler = (ctx: PageContext, request: FastifyRequest, reply: FastifyReply) => Promise<Html | null>;

export async function registerConsole(app: FastifyInstance, deps: ApiDeps, options: ConsoleOptions = {}): Promise<void> {
  const sessions = new SessionStore(deps.clock, options.sessionTtlMs);
  const calendars = new RunCalendars(deps.client, deps.clock);
  const assets = loadAssets();

  await app.register(async (scope) => {
    // Pages, not API: the OpenAPI document (and the fuzzing built on it) leaves them out.
    scope.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    await scope.register(fastifyCookie);
    await scope.register(fastifyFormbody);

    scope.addHook('onSend', async (request, reply, payload) => {
      void reply.header('content-security-policy', CSP);
      void reply.header('x-content-type-options', 'nosniff');
      void reply.header('referrer-policy', 'same-origin');
      void reply.header('x-frame-options', 'DENY');
      if (!request.url.startsWith('/assets/')) void reply.header('cache-control', 'no-store');
      return payload;
    });

    scope.setErrorHandler(async (error, request, reply) => {
      const session = sessions.get(request.cookies[SESSION_COOKIE]);
      if (error instanceof ConsoleError && error.status === 401) {
        // The token was revoked: the session ends with it.
        if (session !== null) sessions.end(session.id);
        return signInAgain(reply, request, 'Your token is no longer valid: sign in again.');
      }
      const { status, heading, message } = describeError(error, session, request.id);
      if (status >= 500) deps.logger.error({ err: error, requestId: request.id, method: request.method, url: request.url }, 'console page failed');
      return sendHtml(reply.status(status), errorPage(status, heading, message, session));
    });

    const cookieOptions = (request: FastifyRequest, maxAgeSeconds: number) => ({
      httpOnly: true,
      sameSite: 'strict' as const,
      secure: request.protocol === 'https',
      path: '/',
      maxAge: maxAgeSeconds,
    });

    const signInAgain = (reply: FastifyReply, request: FastifyRequest, text?: string) => {
      const csrf = randomToken();
      void reply.setCookie(SIGN_IN_COOKIE, csrf, cookieOptions(request, 3600)).clearCookie(SESSION_COOKIE, { path: '/' });
      return sendHtml(reply.status(401), signInPage(csrf, '/', text === undefined ? undefined : { text, kind: 'problem' }));
    };

    /** A route for signed-in people: GETs without a session go to sign-in; POSTs must come from this origin with the session's CSRF token. */
    const signedIn =
      (handler: Handler) =>
      async (request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
        const session = sessions.get(request.cookies[SESSION_COOKIE]);
        if (request.method === 'POST') {
          const refusal = forgeryOf(request, session);
          if (refusal !== null) return sendHtml(reply.status(403), errorPage(403, 'Form refused', refusal, session));
        }
        if (session === null) {
          if (request.method === 'POST') return signInAgain(reply, request, 'Your session has ended: sign in again.');
          return reply.redirect(`/sign-in?next=${encodeURIComponent(request.url)}`, 303);
        }
        const ctx: PageContext = { session, api: new ApiClient(app, session), client: deps.client, store: deps.store ?? null, calendars, now: deps.clock() };
        const page = await handler(ctx, request, reply);
        return page === null ? reply : sendHtml(reply, page);
      };

    scope.get('/assets/:name', async (request, reply) => {
      const asset = assets.get((request.params as { name: string }).name);
      if (asset === undefined) return sendHtml(reply.status(404), errorPage(404, 'Not found', `No asset ${request.url}.`, null));
      return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
    });

    scope.get('/sign-in', async (request, reply) => {
      const next = localPath((request.query as { next?: string }).next);
      if (sessions.get(request.cookies[SESSION_COOKIE]) !== null) return reply.redirect(next, 303);
      const csrf = request.cookies[SIGN_IN_COOKIE] ?? randomToken();
      void reply.setCookie(SIGN_IN_COOKIE, csrf, cookieOptions(request, 3600));
      const signedOut = (request.query as { signedOut?: string }).signedOut === '1';
      return sendHtml(reply, signInPage(csrf, next, signedOut ? { text: 'You are signed out.', kind: 'notice' } : undefined));
    });

    scope.post('/sign-in', async (request, reply) => {
      const form = (request.body ?? {}) as Form;
      const next = localPath(stringOf(form.next));
      const csrf = request.cookies[SIGN_IN_COOKIE];
      if (csrf === undefined || !sameSecret(stringOf(form._csrf), csrf) || !sameOrigin(request)) {
        return sendHtml(
          reply.status(403),
          errorPage(403, 'Form refused', 'This sign-in form was not sent from this console: open the sign-in page and try again.', null),
        );
      }
      const token = stringOf(form.token)?.trim() ?? '';
      const principal = token === '' ? null : await deps.tokens.lookup(token);
      const again = (status: number, text: string) => sendHtml(reply.status(status), signInPage(csrf, next, { text, kind: 'problem' }));
      if (principal === null) return again(401, 'Unknown or revoked token.');
      if (principal.role === 'integration') return again(403, 'Integration tokens cannot sign in to the console: use a csm or csops token.');
      const session = sessions.create(token, principal);
      void reply.setCookie(SESSION_COOKIE, session.id, cookieOptions(request, Math.floor(sessions.ttlMs / 1000))).clearCookie(SIGN_IN_COOKIE, { path: '/' });
      return reply.redirect(next, 303);
    });

    scope.post(
      '/sign-out',
      signedIn(async (ctx, _request, reply) => {
        sessions.end(ctx.session.id);
        void reply.clearCookie(SESSION_COOKIE, { path: '/' }).redirect('/sign-in?signedOut=1', 303);
        return null;
      }),
    );

    scope.get(
      '/',
      signedIn(async (ctx, _request, reply) => {
        void reply.redirect(ctx.session.principal.role === 'csops' ? '/runs' : '/tasks', 303);
        return null;
      }),
    );

    scope.get(
      '/tasks',
      signedIn((ctx, request) => {
        const q = request.query as Record<string, string | undefined>;
        return tasksPage(ctx, { playbook: q.playbook, account: q.account, assignee: q.assignee });
      }),
    );

    type TaskParams = { playbook: string; accountId: string; task: string };
    scope.get(
      '/tasks/:playbook/:accountId/:task',
      signedIn(async (ctx, request) => {
        const { task } = request.params as TaskParams;
        return taskPage(ctx, await loadTask(ctx, runOf(request), task));
      }),
    );

    scope.post(
      '/tasks/:playbook/:accountId/:task',
      signedIn(async (ctx, request, reply) => {
        const { task } = request.params as TaskParams;
        const run = runOf(request);
        const details = await loadTask(ctx, run, task);
        const { answers, problems, entered } = readAnswers(details.questions, request.body as Form);
        if (Object.keys(problems).length > 0) {
          reply.status(400);
          return taskPage(ctx, details, { entered, problems });
        }
        try {
          await ctx.api.post(runPathOf('/v1/runs', run, ['tasks', task, 'complete']), { answers });
        } catch (e) {
          if (!(e instanceof ConsoleError) || e.status !== 400) throw e;
          const ask = e.field?.startsWith('answers.') ? e.field.slice('answers.'.length) : undefined;
          reply.status(400);
          return taskPage(ctx, details, { entered, problems: ask === undefined ? {} : { [ask]: e.message }, refusal: e.message });
        }
        void reply.redirect(runPath(run, [], { completed: task }), 303);
        return null;
      }),
    );

    // Reassign, snooze, close: the API's own rules (a csm only its own open tasks); a refusal is shown on the task page.
    scope.post(
      '/tasks/:playbook/:accountId/:task/:change',
      signedIn(async (ctx, request, reply) => {
        const { task, change } = request.params as TaskParams & { change: string };
        const run = runOf(request);
        const form = request.body as Form;
        const body = taskChangeBody(change, form, ctx.now);
        if (body === null) throw new ConsoleError(404, 'no such page', 'not_found');
        try {
          await ctx.api.post(runPathOf('/v1/runs', run, ['tasks', task, change]), body);
        } catch (e) {
          if (!(e instanceof ConsoleError) || e.status !== 400) throw e;
          reply.status(400);
          return taskPage(ctx, await loadTask(ctx, run, task), { entered: {}, problems: {}, refusal: e.message });
        }
        void reply.redirect(runPath(run, [], { changed: `${task} ${PAST[change as keyof typeof PAST]}` }), 303);
        return null;
      }),
    );

    scope.get(
      '/dashboard',
      signedIn((ctx, request) => {
        const q = request.query as Record<string, string | undefined>;
        const filter: DashboardFilter = {};
        for (const key of ['from', 'to', 'playbook', 'asOf'] as const) if (q[key] !== undefined && q[key] !== '') filter[key] = q[key];
        return dashboardPage(ctx, filter);
      }),
    );

    scope.get(
      '/runs',
      signedIn((ctx, request) => {
        const q = request.query as Record<string, string | undefined>;
        const filter: RunFilter = {};
        for (const key of [...RUN_FILTERS, 'after'] as const) if (q[key] !== undefined && q[key] !== '') filter[key] = q[key];
        return runsPage(ctx, filter);
      }),
    );

    scope.get(
      '/runs/:playbook/:accountId',
      signedIn((ctx, request) => {
        const q = request.query as Record<string, string | undefined>;
        const flash =
          q.completed !== undefined
            ? `Task ${q.completed} completed.`
            : q.changed !== undefined
              ? `Task ${q.changed}.`
              : q.done !== undefined
                ? `Run ${q.done}.`
                : undefined;
        return runPage(ctx, runOf(request), flash);
      }),
    );

    scope.post(
      '/runs/:playbook/:accountId/:action',
      signedIn(async (ctx, request, reply) => {
        const { action } = request.params as { action: string };
        const run = runOf(request);
        if (!CONTROLS.includes(action as Control)) throw new PageRefusal(404, 'Not found', `A run has no action ${action}.`);
        if ((request.body as Form).confirm !== 'yes') return confirmPage(ctx, run, action as Control);
        await ctx.api.post(runPathOf('/v1/runs', run, [action]));
        const done = { pause: 'paused', resume: 'resumed', cancel: 'cancelled' }[action as Control];
        void reply.redirect(runPath(run, [], { done }), 303);
        return null;
      }),
    );

    scope.get(
      '/playbooks',
      signedIn((ctx, request) => {
        const q = request.query as { done?: string; runs?: string; id?: string };
        const flash = q.done === undefined ? undefined : `Playbook ${q.id ?? ''} ${q.done}${q.runs === undefined ? '' : `; ${q.runs}`}.`;
        return playbooksPage(ctx, flash);
      }),
    );
    scope.post(
      '/playbooks/:id/:action',
      signedIn(async (ctx, request, reply) => {
        const { id, action } = request.params as { id: string; action: string };
        if (!SWITCHES.includes(action as Switch)) throw new PageRefusal(404, 'Not found', `A playbook has no action ${action}.`);
        requireCsops(ctx, 'Disabling and enabling playbooks');
        const form = request.body as Form;
        if (form.confirm !== 'yes') return switchConfirmPage(ctx, id, action as Switch);
        const body = action === 'disable' ? { pauseRuns: form.pauseRuns === 'yes' } : undefined;
        const switched = await ctx.api.post<{ runs: string[] }>(`/v1/playbooks/${encodeURIComponent(id)}/${action}`, body);
        const runs =
          switched.runs.length === 0
            ? ''
            : `${switched.runs.length} run${switched.runs.length === 1 ? '' : 's'} ${action === 'disable' ? 'paused' : 'resumed'}`;
        void reply.redirect(`/playbooks?${new URLSearchParams({ id, done: `${action}d`, ...(runs !== '' && { runs }) }).toString()}`, 303);
        return null;
      }),
    );
    scope.get(
      '/playbooks/:id',
      signedIn((ctx, request) => {
        const version = (request.query as { version?: string }).version;
        return playbookPage(ctx, (request.params as { id: string }).id, version === '' ? undefined : version);
      }),
    );

    scope.get(
      '/accounts',
      signedIn((ctx, request) => accountsPage(ctx, request.query as { q?: string; page?: string })),
    );
    scope.get(
      '/accounts/:accountId',
      signedIn((ctx, request) => {
        const older = (request.query as { older?: string }).older;
        return accountPage(ctx, (request.params as { accountId: string }).accountId, undefined, older === '' ? undefined : older);
      }),
    );
    scope.post(
      '/accounts/:accountId/start',
      signedIn(async (ctx, request) => {
        const { accountId } = request.params as { accountId: string };
        const playbook = stringOf((request.body as Form).playbook) ?? '';
        return accountPage(ctx, accountId, await startFor(ctx, accountId, playbook));
      }),
    );
  });
}

/** The run a console URL names (`/runs/:playbook/:accountId…`, `/tasks/…`, with its `key` parameters), read as the API reads its own. */
function runOf(request: FastifyRequest): RunAddress {
  return runOfRequest(request as unknown as Parameters<typeof runOfRequest>[0]);
}

function sendHtml(reply: FastifyReply, page: Html): FastifyReply {
  return reply.type('text/html; charset=utf-8').send(page.text);
}

/** Why a POST is refused as possibly forged, or null: it must come from this origin and carry the session's CSRF token. */
function forgeryOf(request: FastifyRequest, session: Session | null): string | null {
  if (!sameOrigin(request)) return 'This form was sent from another site; the console only takes forms from its own pages.';
  if (session === null) return null;
  const sent = stringOf(((request.body ?? {}) as Form)._csrf);
  return sameSecret(sent, session.csrf) ? null : 'This form is missing its security token or is out of date: reload the page and send it again.';
}

/** A browser's Origin header, when it sends one, names this server. */
function sameOrigin(request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  return origin === undefined || origin === `${request.protocol}://${request.host}`;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Only a path of this site is a place to go after signing in (no `//host`, no scheme). */
function localPath(next: string | undefined): string {
  return next !== undefined && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

function describeError(error: unknown, session: Session | null, requestId: string): { status: number; heading: string; message: string } {
  if (error instanceof PageRefusal) return { status: error.status, heading: error.heading, message: error.message };
  if (error instanceof ConsoleError) {
    // A csm is answered 404 for what is outside its book, so it cannot tell what exists: the page says why it may not open it.
    if (error.status === 404 && session?.principal.role === 'csm') {
      return {
        status: 403,
        heading: 'Not in your book of business',
        message: 'You can open the tasks, runs and accounts of your own accounts only, and this is not one of them (or it does not exist).',
      };
    }
    if (error.status === 403) return { status: 403, heading: 'Not available to your role', message: error.message };
    if (error.status < 500) return { status: error.status, heading: error.status === 404 ? 'Not found' : 'Refused', message: error.message };
  }
  return { status: 500, heading: 'Something went wrong', message: `The server log has the details under request id ${requestId}.` };
}

const PAST = { reassign: 'reassigned', snooze: 'snoozed', close: 'closed' } as const;

/** The API body of a task change posted by the task page's forms, or null for an unknown change. */
function taskChangeBody(change: string, form: Form, now: number): Record<string, string> | null {
  const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).trim() : '');
  if (change === 'reassign') return { to: text('to') };
  if (change === 'close') return { reason: text('reason') };
  if (change !== 'snooze') return null;
  const days = Number(text('days'));
  return { until: new Date(now + (SNOOZE_DAYS.includes(days as (typeof SNOOZE_DAYS)[number]) ? days : 1) * 86_400_000).toISOString() };
}
