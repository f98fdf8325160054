import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { consoleCsp, consolePage, escapeHtml } from '../../../console/layout.js';
import { capRole, OPERATOR_ROLES, type OperatorRole } from '../../../console/roles.js';
import { CONSOLE_SESSION_TTL_MS, csrfValid } from '../../../console/sessions.js';
import type { Runtime } from '../../../runtime.js';
import { randomToken } from '../../../shared/ids.js';
import { pageResponses, text } from '../../responses.js';
import { defineRoute, type HttpResponse } from '../../route.js';
import { consoleHtml, seeOther, sessionCookieName, setSessionCookie } from './guard.js';

const asset = (name: string) =>
  readFileSync(new URL(`../../../console/assets/${name}`, import.meta.url), 'utf8');
const CSS = asset('console.css');
const JS = asset('console.js');

// Before there is a session, the sign-in form is protected by a double-submit cookie (login CSRF).
export const PRE_CSRF = 'gatehouse_console_signin';

const digest = (s: string) => createHash('sha256').update(s).digest();
export const same = (a: string, b: string) => timingSafeEqual(digest(a), digest(b));

function signInForm(csrf: string, sso: boolean, error?: string): string {
  const roles = OPERATOR_ROLES.slice()
    .reverse()
    .map((r) => `<option value="${r}">${r}</option>`)
    .join('');
  return consolePage(
    'Sign in',
    `${error ? `<div class="notice error" role="alert">${escapeHtml(error)}</div>` : ''}
<form method="post" action="/console/sign-in" class="signin">
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<label for="credential">Admin token or project API key</label>
<input type="password" id="credential" name="credential" autocomplete="off" required>
<label for="projectId">Project id <span class="muted">(optional: with the admin token, leave it empty to choose on the Projects page)</span></label>
<input type="text" id="projectId" name="projectId" autocomplete="off">
<label for="role">Act as</label>
<select id="role" name="role">${roles}</select>
<p class="muted">A session never acts above its credential: an admin key or the admin token may act as any role, a runtime key only as viewer.</p>
<p><button type="submit">Sign in</button></p></form>
${
  sso
    ? `<h2>Single sign-on</h2><form method="post" action="/console/sso" class="signin">
<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<label for="sso-project">Project id <span class="muted">(if you operate several)</span></label>
<input type="text" id="sso-project" name="projectId" autocomplete="off">
<p><button type="submit">Sign in with single sign-on</button></p></form>`
    : ''
}`,
    undefined,
  );
}

export function signInPage(rt: Runtime, csrf: string, status = 200, error?: string): HttpResponse {
  const sso = rt.config.consoleOidc;
  const res = consoleHtml(status, signInForm(csrf, sso !== undefined, error));
  if (sso) res.headers!['content-security-policy'] = consoleCsp([new URL(sso.issuer).origin]);
  return res;
}

/** A fresh pre-session CSRF token, in its cookie. */
export function issuePreCsrf(reply: FastifyReply): string {
  const csrf = randomToken(32);
  reply.setCookie(PRE_CSRF, csrf, { path: '/console', httpOnly: true, sameSite: 'strict', maxAge: 1800 });
  return csrf;
}

/** Who the credential is, and the highest role it may act with; or why not. */
async function resolveCredential(
  rt: Runtime,
  credential: string,
  projectId: string | undefined,
): Promise<
  | {
      ok: true;
      /** None yet: only the admin token, which then lands on the Projects page. */
      projectId: string | null;
      operator: string;
      name: string;
      method: 'admin_token' | 'api_key';
      apiKeyId: string | null;
      ceiling: OperatorRole;
    }
  | { ok: false; message: string }
> {
  if (rt.adminToken && same(credential, rt.adminToken)) {
    if (projectId && !(await rt.projects.get(projectId))) return { ok: false, message: 'No such project.' };
    return {
      ok: true,
      projectId: projectId ?? null,
      operator: 'admin_token',
      name: 'instance admin',
      method: 'admin_token',
      apiKeyId: null,
      ceiling: 'admin',
    };
  }
  const key = await rt.apiKeys.authenticate(credential);
  if (!key.ok) return { ok: false, message: 'That token or key is not valid.' };
  if (key.value.agentId) return { ok: false, message: "An agent's key cannot sign in to the console." };
  if (projectId && projectId !== key.value.projectId)
    return { ok: false, message: 'That key belongs to another project.' };
  return {
    ok: true,
    projectId: key.value.projectId,
    operator: `key:${key.value.apiKeyId}`,
    name: `key ${key.value.apiKeyId}`,
    method: 'api_key',
    apiKeyId: key.value.apiKeyId,
    ceiling: key.value.role === 'admin' ? 'admin' : 'viewer',
  };
}

export const consoleSignInRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/console',
    auth: 'none',
    operationId: 'consoleHome',
    summary: 'The operator console: on to its first page, or to sign-in',
    responses: { 303: pageResponses([])[303]! },
    handler: async () => seeOther('/console/users'),
  }),
  defineRoute({
    method: 'GET',
    url: '/console/assets/:file',
    auth: 'none',
    operationId: 'consoleAsset',
    summary: "The console's stylesheet and script",
    params: z.strictObject({ file: z.enum(['console.css', 'console.js']) }),
    responses: { 200: text('text/css', 'The stylesheet (text/css) or script (text/javascript)') },
    handler: async ({ params }) => ({
      status: 200,
      body: params.file === 'console.css' ? CSS : JS,
      headers: {
        'content-type':
          params.file === 'console.css' ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8',
        'cache-control': 'no-cache',
      },
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/console/sign-in',
    auth: 'none',
    operationId: 'consoleSignInPage',
    summary: 'The console sign-in page',
    responses: pageResponses([], false),
    handler: async ({ reply }) => signInPage(rt, issuePreCsrf(reply)),
  }),
  defineRoute({
    method: 'POST',
    url: '/console/sign-in',
    auth: 'none',
    operationId: 'consoleSignIn',
    summary: 'Signs an operator in with the admin token (a project optional) or a project API key',
    body: z.object({
      csrf: z.string().max(100),
      credential: z.string().max(200),
      projectId: z.string().max(64).optional(),
      role: z.enum(OPERATOR_ROLES).default('viewer'),
    }),
    responses: pageResponses([401, 403], true),
    handler: async ({ body, request, reply }) => {
      const cookie = request.cookies[PRE_CSRF];
      const csrf = issuePreCsrf(reply);
      if (!cookie || !same(cookie, body.csrf))
        return signInPage(rt, csrf, 403, 'This form expired. Try again.');
      const who = await resolveCredential(rt, body.credential.trim(), body.projectId?.trim() || undefined);
      if (!who.ok) return signInPage(rt, csrf, 401, who.message);
      const { token } = await rt.consoleSessions.open({
        projectId: who.projectId,
        operator: who.operator,
        operatorName: who.name,
        method: who.method,
        apiKeyId: who.apiKeyId,
        role: capRole(body.role, who.ceiling),
      });
      setSessionCookie(rt, reply, token, CONSOLE_SESSION_TTL_MS / 1000);
      return seeOther(who.projectId === null ? '/console/projects' : '/console/users');
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/console/sign-out',
    auth: 'none',
    operationId: 'consoleSignOut',
    summary: 'Ends the console session',
    body: z.object({ csrf: z.string().max(100) }),
    responses: pageResponses([403], true),
    handler: async ({ body, request, reply }) => {
      const token = request.cookies[sessionCookieName(rt)];
      const session = await rt.consoleSessions.get(token);
      if (session && csrfValid(session, body.csrf)) await rt.consoleSessions.close(token);
      reply.clearCookie(sessionCookieName(rt), { path: '/' });
      return seeOther('/console/sign-in');
    },
  }),
];
