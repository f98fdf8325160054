import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { ConnectedAccount } from '../../accounts/store.js';
import { escapeHtml, layout, type PageFrame, pageCsp } from '../../connect/pages.js';
import { SELF_SERVICE_MAX_TTL_MS, type SelfServiceClaims } from '../../console/self-service-links.js';
import type { Runtime } from '../../runtime.js';
import { randomToken } from '../../shared/ids.js';
import { pageResponses, timestamp } from '../responses.js';
import { defineRoute, type HttpResponse, json } from '../route.js';
import { userIdSchema } from './connect-links.js';

const FRAME: PageFrame = {
  title: 'Your connected accounts',
  appName: 'Your connected accounts',
  branding: {},
};

const html = (status: number, body: string): HttpResponse => ({
  status,
  body,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': pageCsp(),
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  },
});

const secure = (rt: Runtime) => rt.config.publicUrl.startsWith('https://');
const SESSION = 'gatehouse_self';
const CSRF = 'gatehouse_self_csrf';

function csrfFor(rt: Runtime, request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[CSRF];
  if (existing && /^[A-Za-z0-9]{32}$/.test(existing)) return existing;
  const token = randomToken(32);
  reply.setCookie(CSRF, token, {
    path: '/my',
    httpOnly: true,
    sameSite: 'strict',
    secure: secure(rt),
    maxAge: 3600,
  });
  return token;
}

const csrfMatches = (cookie: string | undefined, field: string): boolean =>
  cookie !== undefined &&
  cookie.length === field.length &&
  timingSafeEqual(Buffer.from(cookie), Buffer.from(field));

const errorPage = (status: number, message: string) =>
  html(status, layout(FRAME, `<h1>This page cannot be opened</h1><p>${escapeHtml(message)}</p>`));

const when = (d: Date) => `${d.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

/** Scope names in plain words, from the provider's own vocabulary in the catalog. */
async function describe(rt: Runtime, projectId: string, account: ConnectedAccount) {
  const loaded = await rt.authConfigs.load(projectId, account.authConfigId);
  if (!loaded.ok)
    return { provider: account.providerId, scopes: account.scopes.map((s) => ({ s, words: s })) };
  const def = loaded.value.provider.definition;
  const vocabulary = new Map((def.oauth2?.scopes ?? []).map((s) => [s.name, s.description]));
  return {
    provider: def.displayName,
    scopes: account.scopes.map((s) => ({ s, words: vocabulary.get(s) ?? s })),
  };
}

/** Which agents used each account lately, from the user's audit trail (newest first). */
async function recentAgents(rt: Runtime, c: SelfServiceClaims): Promise<Map<string, Map<string, Date>>> {
  const page = await rt.audit.list(c.projectId, { userId: c.userId }, { limit: 200 });
  const out = new Map<string, Map<string, Date>>();
  for (const e of page.items) {
    if (!e.connectedAccountId || (e.kind !== 'tool.execute' && e.kind !== 'proxy.request')) continue;
    const agents = out.get(e.connectedAccountId) ?? new Map<string, Date>();
    const agent = e.agentId ?? 'an unnamed agent';
    if (!agents.has(agent)) agents.set(agent, e.occurredAt);
    out.set(e.connectedAccountId, agents);
  }
  return out;
}

async function listPage(rt: Runtime, c: SelfServiceClaims, csrf: string, notice?: string): Promise<string> {
  const page = await rt.accountStore.list(c.projectId, { userId: c.userId }, { limit: 200 });
  const own = page.items.filter((a) => a.groupId === null && a.status !== 'REVOKED');
  const agents = await recentAgents(rt, c);
  const cards = await Promise.all(
    own.map(async (a) => {
      const d = await describe(rt, c.projectId, a);
      const used = [...(agents.get(a.id) ?? new Map()).entries()];
      const name = `${d.provider}${a.label ? ` (${a.label})` : ''}`;
      return `<section aria-labelledby="acc-${escapeHtml(a.id)}"><h2 id="acc-${escapeHtml(a.id)}">${escapeHtml(name)}</h2>
<p class="muted">Status: ${escapeHtml(a.status.toLowerCase())}${a.displayName ? ` · signed in as ${escapeHtml(a.displayName)}` : ''} · connected ${escapeHtml(when(a.createdAt))}</p>
<p>It can:</p><ul>${d.scopes.map((s) => `<li>${escapeHtml(s.words)}</li>`).join('') || '<li>Confirm who you are</li>'}</ul>
<p>Used recently by:</p><ul>${used.map(([agent, at]) => `<li><code>${escapeHtml(agent)}</code>, last ${escapeHtml(when(at))}</li>`).join('') || '<li>No agent has used it recently.</li>'}</ul>
<form method="post" action="/my/connections/${escapeHtml(a.id)}/revoke"><input type="hidden" name="csrf" value="${escapeHtml(csrf)}">
<button type="submit" aria-label="Revoke access to ${escapeHtml(name)}">Revoke access</button></form></section>`;
    }),
  );
  return layout(
    FRAME,
    `<h1>Your connected accounts</h1>${notice ? `<p role="status"><strong>${escapeHtml(notice)}</strong></p>` : ''}
<p class="muted">Signed in as <code>${escapeHtml(c.userId)}</code>. Revoking stops every agent from using that account at once.</p>
${cards.join('') || '<p>You have no connected accounts.</p>'}`,
  );
}

/** The API side: the developer's app mints a link for its signed-in user (admin key). */
export const selfServiceRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'POST',
    url: '/v1/users/:userId/self-service-links',
    auth: 'project:admin',
    operationId: 'createSelfServiceLink',
    summary: "A signed, single-use link to the user's own page of connected accounts (with revoke)",
    params: z.strictObject({ userId: userIdSchema }),
    body: z
      .strictObject({
        ttlSeconds: z
          .number()
          .int()
          .min(60)
          .max(SELF_SERVICE_MAX_TTL_MS / 1000)
          .optional(),
      })
      .default({}),
    responses: { 201: z.strictObject({ url: z.string(), expiresAt: timestamp }) },
    handler: async ({ principal, params, body }) => {
      const minted = await rt.selfService.mint(
        principal.projectId,
        params.userId,
        body.ttlSeconds === undefined ? undefined : body.ttlSeconds * 1000,
      );
      return json({ url: minted.url, expiresAt: minted.expiresAt.toISOString() }, 201);
    },
  }),
];

/** The end user's page: opened once from the link, then held by an HttpOnly cookie until it expires. */
export const selfServicePageRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/my/connections',
    auth: 'none',
    operationId: 'selfServicePage',
    query: z.object({
      token: z.string().min(1).max(4096).optional(),
      notice: z.enum(['revoked']).optional(),
    }),
    responses: pageResponses([401], true),
    handler: async ({ query, request, reply }) => {
      if (query.token) {
        const opened = await rt.selfService.open(query.token);
        if (!opened.ok) return errorPage(401, opened.error.message);
        reply.setCookie(SESSION, query.token, {
          path: '/my',
          httpOnly: true,
          sameSite: 'lax',
          secure: secure(rt),
          maxAge: Math.max(1, Math.floor((opened.value.expiresAt.getTime() - Date.now()) / 1000)),
        });
        // The token leaves the address bar (and history) at once.
        return { status: 303, headers: { location: '/my/connections', 'referrer-policy': 'no-referrer' } };
      }
      const claims = await rt.selfService.verify(request.cookies[SESSION]);
      if (!claims.ok) return errorPage(401, claims.error.message);
      const notice = query.notice === 'revoked' ? 'Access revoked.' : undefined;
      return html(200, await listPage(rt, claims.value, csrfFor(rt, request, reply), notice));
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/my/connections/:id/revoke',
    auth: 'none',
    operationId: 'selfServiceRevoke',
    params: z.strictObject({ id: z.string().min(1).max(64) }),
    body: z.object({ csrf: z.string().max(100) }),
    responses: pageResponses([401, 403, 404], true),
    handler: async ({ params, body, request }) => {
      const claims = await rt.selfService.verify(request.cookies[SESSION]);
      if (!claims.ok) return errorPage(401, claims.error.message);
      if (!csrfMatches(request.cookies[CSRF], body.csrf))
        return errorPage(403, 'This form expired or came from another page. Reload the page and try again.');
      const c = claims.value;
      const account = await rt.accountStore.get(c.projectId, params.id);
      // Only the user's own accounts: another user's id answers as if it did not exist.
      if (!account || account.userId !== c.userId || account.groupId !== null)
        return errorPage(404, 'That account was not found.');
      const deleted = await rt.accounts.delete(c.projectId, params.id, (tx, { revokedAtProvider }) =>
        rt.audit.admin(
          { projectId: c.projectId, apiKeyId: `self-service:${c.userId}`, role: 'runtime', agentId: null },
          'admin.connected_account.deleted',
          { connectedAccountId: params.id, revokedAtProvider, via: 'self_service', userId: c.userId },
          tx,
        ),
      );
      if (!deleted.ok) return errorPage(404, 'That account was not found.');
      return { status: 303, headers: { location: '/my/connections?notice=revoked' } };
    },
  }),
];
