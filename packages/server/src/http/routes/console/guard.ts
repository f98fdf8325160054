import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { CONSOLE_CSP, consolePage } from '../../../console/layout.js';
import { type OperatorRole, roleAllows } from '../../../console/roles.js';
import {
  type ConsoleSession,
  type ConsoleSignIn,
  csrfValid,
  hasProject,
  isInstanceAdmin,
} from '../../../console/sessions.js';
import type { Runtime } from '../../../runtime.js';
import { pageResponses } from '../../responses.js';
import { defineRoute, type HttpResponse, parseInput } from '../../route.js';

/** The console's headers on every HTML answer: its CSP, no framing, no referrer, never cached. */
export const consoleHtml = (status: number, body: string, csp = CONSOLE_CSP): HttpResponse => ({
  status,
  body,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': csp,
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  },
});

export const seeOther = (location: string): HttpResponse => ({ status: 303, headers: { location } });

export const sessionCookieName = (rt: Runtime): string =>
  rt.config.publicUrl.startsWith('https://') ? '__Host-gatehouse_console' : 'gatehouse_console';

export function setSessionCookie(
  rt: Runtime,
  reply: FastifyReply,
  token: string,
  maxAgeSeconds: number,
): void {
  reply.setCookie(sessionCookieName(rt), token, {
    path: '/',
    httpOnly: true,
    // Lax: the single sign-on callback arrives as a top-level navigation from the identity provider.
    // Every state change is a POST that must carry the session's CSRF token as well.
    sameSite: 'lax',
    secure: rt.config.publicUrl.startsWith('https://'),
    maxAge: maxAgeSeconds,
  });
}

const errorPage = (status: number, title: string, text: string, session?: ConsoleSignIn) =>
  consoleHtml(
    status,
    consolePage(title, `<p>${text}</p><p><a href="/console">Back to the console</a></p>`, session),
  );

export const forbiddenPage = (session: ConsoleSignIn, needed: OperatorRole) =>
  errorPage(
    403,
    'Not allowed',
    `This action needs the ${needed} role; you are signed in as ${session.role}.`,
    session,
  );

export const notFoundPage = (session: ConsoleSignIn, what: string) =>
  errorPage(404, 'Not found', `${what} was not found in this project.`, session);

/** A project key or single sign-on session asked for what only the instance's admin token may do. */
const instanceOnlyPage = (session: ConsoleSignIn) =>
  errorPage(
    403,
    'Not allowed',
    'Projects are managed with the instance admin token; this session is bound to its project.',
    session,
  );

async function sessionOf(rt: Runtime, request: FastifyRequest): Promise<ConsoleSignIn | undefined> {
  return rt.consoleSessions.get(request.cookies[sessionCookieName(rt)]);
}

/**
 * Which sessions a route serves: `project` (the default) needs a session bound to a project (one
 * without goes to the Projects page); `instance` needs a session opened with the admin token,
 * bound to a project or not (any other gets 403, whatever its role).
 */
type Scope = 'project' | 'instance';
type SessionOf<S extends Scope> = S extends 'project' ? ConsoleSession : ConsoleSignIn;

/** The scope's refusal for this session, or undefined when it may go on. */
function scopeRefusal(
  scope: Scope,
  session: ConsoleSignIn,
  method: 'GET' | 'POST',
): HttpResponse | undefined {
  if (scope === 'instance') return isInstanceAdmin(session) ? undefined : instanceOnlyPage(session);
  if (hasProject(session)) return undefined;
  return method === 'GET'
    ? seeOther('/console/projects')
    : errorPage(409, 'No project open', 'Open a project on the Projects page first.', session);
}

interface ConsoleContext<Q, P, B, S extends ConsoleSignIn = ConsoleSession> {
  session: S;
  query: Q;
  params: P;
  body: B;
  request: FastifyRequest;
  reply: FastifyReply;
}

const PAGE_RESPONSES = pageResponses([400, 401, 403, 404, 409], true);

/**
 * A console page (GET): any signed-in operator in the route's scope may read; a browser without a
 * session goes to the sign-in page, a session without a project to the Projects page.
 */
export function consolePageRoute<Q = undefined, P = undefined, S extends Scope = 'project'>(
  rt: Runtime,
  spec: {
    url: string;
    operationId: string;
    summary: string;
    scope?: S;
    query?: z.ZodType<Q>;
    params?: z.ZodType<P>;
    handler(ctx: ConsoleContext<Q, P, undefined, SessionOf<S>>): Promise<HttpResponse>;
  },
) {
  return defineRoute({
    method: 'GET',
    url: spec.url,
    auth: 'none',
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.query ? { query: spec.query } : {}),
    ...(spec.params ? { params: spec.params } : {}),
    responses: PAGE_RESPONSES,
    handler: async ({ query, params, request, reply }) => {
      const session = await sessionOf(rt, request);
      if (!session) return seeOther('/console/sign-in');
      const refused = scopeRefusal(spec.scope ?? 'project', session, 'GET');
      if (refused) return refused;
      return spec.handler({
        session: session as SessionOf<S>,
        query: query as Q,
        params: params as P,
        body: undefined,
        request,
        reply,
      });
    },
  });
}

// Only the CSRF field is read before the checks: a form's other fields are parsed after them, so
// whoever may not act is refused (403) whatever they sent, never told which field was wrong.
const actionEnvelope = z.looseObject({ csrf: z.string().max(100) });

/**
 * A console action (POST): signed in (401), in the route's scope (403 for an instance action from a
 * project-bound sign-in, 409 for a project action before a project is open), of at least `role`
 * (403, checked here on the server, whatever the page showed), and carrying the session's CSRF token (403). Only then the form's
 * fields are parsed (400) and the handler runs.
 */
export function consoleActionRoute<B extends { csrf: string }, P = undefined, S extends Scope = 'project'>(
  rt: Runtime,
  spec: {
    url: string;
    operationId: string;
    summary: string;
    role: OperatorRole;
    scope?: S;
    body: z.ZodType<B>;
    params?: z.ZodType<P>;
    handler(ctx: ConsoleContext<undefined, P, B, SessionOf<S>>): Promise<HttpResponse>;
  },
) {
  return defineRoute({
    method: 'POST',
    url: spec.url,
    auth: 'none',
    operationId: spec.operationId,
    summary: `${spec.summary} (console, role ${spec.role})`,
    body: actionEnvelope,
    ...(spec.params ? { params: spec.params } : {}),
    responses: PAGE_RESPONSES,
    handler: async ({ body: envelope, params, request, reply }) => {
      const session = await sessionOf(rt, request);
      if (!session)
        return consoleHtml(
          401,
          consolePage(
            'Signed out',
            '<p>Your session ended. <a href="/console/sign-in">Sign in again</a>.</p>',
            undefined,
          ),
        );
      const refused = scopeRefusal(spec.scope ?? 'project', session, 'POST');
      if (refused) return refused;
      if (!roleAllows(session.role, spec.role)) return forbiddenPage(session, spec.role);
      if (!csrfValid(session, envelope.csrf))
        return errorPage(
          403,
          'Form expired',
          'This form expired or came from another page. Reload and try again.',
          session,
        );
      const body = parseInput(spec.body, request.body, 'body');
      return spec.handler({
        session: session as SessionOf<S>,
        query: undefined,
        params: params as P,
        body,
        request,
        reply,
      });
    },
  });
}
