import { z } from 'zod';
import type { ConnectedAccount } from '../../../accounts/store.js';
import {
  consolePage,
  csrfField,
  escapeHtml,
  type Notice,
  statusBadge,
  table,
  when,
} from '../../../console/layout.js';
import { listEndUsers } from '../../../console/read-model.js';
import { roleAllows } from '../../../console/roles.js';
import { type ConsoleSession, principalOf } from '../../../console/sessions.js';
import type { Runtime } from '../../../runtime.js';
import { consoleActionRoute, consoleHtml, consolePageRoute, notFoundPage, seeOther } from './guard.js';

const userIdSchema = z.string().min(1).max(256);
const accountParams = z.strictObject({ id: z.string().min(1).max(64) });
const csrfBody = z.object({ csrf: z.string().max(100) });

// Notices are chosen from this table by code: nothing from the URL is echoed into the page.
const NOTICES: Record<string, Notice> = {
  revoked: {
    kind: 'ok',
    text: 'The account was revoked (and its grant revoked at the provider where it supports that).',
  },
  refreshed: { kind: 'ok', text: 'The token was refreshed.' },
  refresh_failed: { kind: 'error', text: 'The refresh failed: the account status below says why.' },
  gone: { kind: 'error', text: 'That account no longer exists.' },
};

const userUrl = (userId: string, notice?: string) =>
  `/console/users/${encodeURIComponent(userId)}${notice ? `?notice=${notice}` : ''}`;

function accountRow(a: ConnectedAccount, session: ConsoleSession): string[] {
  const canAct = roleAllows(session.role, 'operator');
  const name = `${a.providerId}${a.label ? ` “${a.label}”` : ''}`;
  const actions = canAct
    ? `<div class="actions">
<form method="post" action="/console/accounts/${escapeHtml(a.id)}/refresh" class="inline">${csrfField(session)}
<button type="submit" class="secondary" aria-label="Force refresh ${escapeHtml(name)}">Force refresh</button></form>
<form method="post" action="/console/accounts/${escapeHtml(a.id)}/revoke" class="inline" data-confirm="Revoke ${escapeHtml(name)} for ${escapeHtml(a.userId)}?">${csrfField(session)}
<button type="submit" class="danger" aria-label="Revoke ${escapeHtml(name)}">Revoke</button></form></div>`
    : '<span class="muted">read only</span>';
  return [
    `<strong>${escapeHtml(name)}</strong><br><code>${escapeHtml(a.id)}</code>${a.displayName ? `<br>${escapeHtml(a.displayName)}` : ''}`,
    `${statusBadge(a.status)}${a.statusReason ? `<br><span class="muted">${escapeHtml(a.statusReason)}</span>` : ''}`,
    a.scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(' ') || '<span class="muted">none</span>',
    escapeHtml(when(a.lastUsedAt)),
    `${escapeHtml(when(a.lastRefreshedAt))}<br><span class="muted">token expires ${escapeHtml(when(a.accessTokenExpiresAt))}</span>`,
    actions,
  ];
}

/** Users and their connected accounts: status, scopes, last use, refresh health; revoke and force refresh. */
export const consoleUserRoutes = (rt: Runtime) => [
  consolePageRoute(rt, {
    url: '/console/users',
    operationId: 'consoleUsers',
    summary: "The project's end users",
    query: z.object({ q: z.string().max(256).optional() }),
    handler: async ({ session, query }) => {
      const users = await listEndUsers(rt.db, session.projectId, { search: query.q, limit: 200 });
      const rows = users.map((u) => [
        `<a href="${userUrl(u.userId)}">${escapeHtml(u.userId)}</a>`,
        String(u.accounts),
        String(u.active),
        escapeHtml(when(u.lastUsedAt)),
      ]);
      return consoleHtml(
        200,
        consolePage(
          'Users',
          `<form method="get" action="/console/users" class="filters" role="search">
<div><label for="q">Find a user</label><input type="search" id="q" name="q" value="${escapeHtml(query.q ?? '')}"></div>
<button type="submit">Search</button></form>
${table('End users with connected accounts', ['User', 'Accounts', 'Active', 'Last used'], rows, 'No end user has connected an account yet.')}`,
          session,
          '/console/users',
        ),
      );
    },
  }),
  consolePageRoute(rt, {
    url: '/console/users/:userId',
    operationId: 'consoleUser',
    summary: "One end user's connected accounts",
    params: z.strictObject({ userId: userIdSchema }),
    query: z.object({ notice: z.string().max(32).optional() }),
    handler: async ({ session, params, query }) => {
      const page = await rt.accountStore.list(session.projectId, { userId: params.userId }, { limit: 200 });
      const notice = query.notice ? NOTICES[query.notice] : undefined;
      return consoleHtml(
        200,
        consolePage(
          `User ${params.userId}`,
          `<p><a href="/console/users">All users</a> · <a href="/console/audit?userId=${encodeURIComponent(params.userId)}">Audit for this user</a> · <a href="/console/approvals?userId=${encodeURIComponent(params.userId)}">Approvals</a></p>
${table(
  'Connected accounts',
  ['Account', 'Status', 'Scopes', 'Last used', 'Last refreshed', 'Actions'],
  page.items.map((a) => accountRow(a, session)),
  'This user has no connected accounts.',
)}`,
          session,
          '/console/users',
          notice,
        ),
      );
    },
  }),
  consoleActionRoute(rt, {
    url: '/console/accounts/:id/revoke',
    operationId: 'consoleRevokeAccount',
    summary: 'Revokes a connected account (as DELETE /v1/connected-accounts/:id does)',
    role: 'operator',
    params: accountParams,
    body: csrfBody,
    handler: async ({ session, params }) => {
      const found = await rt.accounts.get(session.projectId, params.id);
      if (!found.ok) return notFoundPage(session, 'That account');
      const deleted = await rt.accounts.delete(session.projectId, params.id, (tx, { revokedAtProvider }) =>
        rt.audit.admin(
          principalOf(session),
          'admin.connected_account.deleted',
          {
            connectedAccountId: params.id,
            revokedAtProvider,
            via: 'console',
            operator: session.operatorName,
          },
          tx,
        ),
      );
      if (!deleted.ok) return seeOther(userUrl(found.value.userId, 'gone'));
      return seeOther(userUrl(found.value.userId, 'revoked'));
    },
  }),
  consoleActionRoute(rt, {
    url: '/console/accounts/:id/refresh',
    operationId: 'consoleRefreshAccount',
    summary: 'Forces a token refresh (as POST /v1/connected-accounts/:id/refresh does)',
    role: 'operator',
    params: accountParams,
    body: csrfBody,
    handler: async ({ session, params }) => {
      const found = await rt.accounts.get(session.projectId, params.id);
      if (!found.ok) return notFoundPage(session, 'That account');
      const refreshed = await rt.tokens.forceRefresh(session.projectId, params.id);
      return seeOther(userUrl(found.value.userId, refreshed.ok ? 'refreshed' : 'refresh_failed'));
    },
  }),
];
