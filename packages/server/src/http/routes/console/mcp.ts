import { z } from 'zod';
import type { ConsentGrant, RegisteredClient } from '../../../authserver/grant-admin.js';
import { serverUrls } from '../../../authserver/urls.js';
import {
  consolePage,
  csrfField,
  escapeHtml,
  type Notice,
  statusBadge,
  table,
  when,
} from '../../../console/layout.js';
import { roleAllows } from '../../../console/roles.js';
import { type ConsoleSession, principalOf } from '../../../console/sessions.js';
import type { McpServerProfile } from '../../../mcp/server-profiles.js';
import type { Runtime } from '../../../runtime.js';
import { consoleActionRoute, consoleHtml, consolePageRoute, notFoundPage, seeOther } from './guard.js';

const serverParams = z.strictObject({ serverId: z.string().min(1).max(64) });

const NOTICES: Record<string, Notice> = {
  consent_revoked: {
    kind: 'ok',
    text: "The consent was revoked with its grants: the client's tokens stop working and it must ask the user again.",
  },
  client_revoked: {
    kind: 'ok',
    text: 'The client was deleted: its grants are revoked and it must register again.',
  },
  gone: { kind: 'error', text: 'That consent or client no longer exists.' },
};

const serverUrl = (id: string, notice?: string) =>
  `/console/mcp/${encodeURIComponent(id)}${notice ? `?notice=${notice}` : ''}`;

const loginLabel = (s: McpServerProfile) =>
  s.login.type === 'oidc' ? `single sign-on (${s.login.issuer})` : s.login.type;

const scopeList = (scopes: string[]) =>
  scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(' ') || '<span class="muted">none</span>';

const clientLabel = (c: { clientId: string; clientName?: string | null; name?: string | null }) =>
  c.clientName ?? c.name ?? c.clientId;

function clientRow(s: McpServerProfile, c: RegisteredClient, session: ConsoleSession): string[] {
  const label = clientLabel(c);
  const action = roleAllows(session.role, 'admin')
    ? `<form method="post" action="${serverUrl(s.id)}/clients/${escapeHtml(encodeURIComponent(c.clientId))}/revoke" class="inline" data-confirm="Delete the client ${escapeHtml(label)} and revoke all its grants?">${csrfField(session)}
<button type="submit" class="danger" aria-label="Revoke client ${escapeHtml(label)}">Revoke client</button></form>`
    : '<span class="muted">read only</span>';
  return [
    `<strong>${escapeHtml(c.name ?? 'unnamed')}</strong><br><code>${escapeHtml(c.clientId)}</code>`,
    c.redirectUris.map((u) => `<code>${escapeHtml(u)}</code>`).join('<br>'),
    `<code>${escapeHtml(c.tokenEndpointAuthMethod)}</code>`,
    String(c.activeGrants),
    escapeHtml(when(c.createdAt)),
    action,
  ];
}

function consentRow(s: McpServerProfile, g: ConsentGrant, session: ConsoleSession): string[] {
  const label = clientLabel(g);
  const action = roleAllows(session.role, 'operator')
    ? `<form method="post" action="${serverUrl(s.id)}/consents/revoke" class="inline" data-confirm="Revoke what ${escapeHtml(g.userId)} granted to ${escapeHtml(label)}?">${csrfField(session)}
<input type="hidden" name="userId" value="${escapeHtml(g.userId)}"><input type="hidden" name="clientId" value="${escapeHtml(g.clientId)}">
<button type="submit" class="danger" aria-label="Revoke grant of ${escapeHtml(g.userId)} to ${escapeHtml(label)}">Revoke grant</button></form>`
    : '<span class="muted">read only</span>';
  return [
    `<strong>${escapeHtml(g.userId)}</strong>`,
    `${escapeHtml(label)}${label === g.clientId ? '' : `<br><code>${escapeHtml(g.clientId)}</code>`}`,
    scopeList(g.scopes),
    g.activeGrants > 0
      ? `${statusBadge('active')} ${g.activeGrants}`
      : '<span class="muted">none active</span>',
    escapeHtml(when(g.updatedAt)),
    action,
  ];
}

/** MCP server profiles: their registered OAuth clients and users' consent grants, and revoking them. */
export const consoleMcpRoutes = (rt: Runtime) => [
  consolePageRoute(rt, {
    url: '/console/mcp',
    operationId: 'consoleMcpServers',
    summary: "The project's MCP server profiles",
    handler: async ({ session }) => {
      const page = await rt.mcp.profiles.list(session.projectId, { limit: 200 });
      const rows = page.items.map((s) => [
        `<a href="${serverUrl(s.id)}">${escapeHtml(s.name)}</a><br><code>${escapeHtml(s.id)}</code>`,
        `<code>${escapeHtml(serverUrls(rt.config.publicUrl, s.id).resource)}</code>`,
        s.toolkits.map((t) => `<code>${escapeHtml(t)}</code>`).join(' '),
        escapeHtml(loginLabel(s)),
        escapeHtml(when(s.createdAt)),
      ]);
      return consoleHtml(
        200,
        consolePage(
          'MCP servers',
          `<p>Each profile is an MCP URL with its own authorization server: MCP clients register there and users consent to them.</p>
${table('MCP server profiles', ['Profile', 'MCP URL', 'Toolkits', 'Sign-in', 'Created'], rows, 'No MCP server profiles. Create one with POST /v1/mcp/servers.')}`,
          session,
          '/console/mcp',
        ),
      );
    },
  }),
  consolePageRoute(rt, {
    url: '/console/mcp/:serverId',
    operationId: 'consoleMcpServer',
    summary: "One MCP server profile's clients and consent grants",
    params: serverParams,
    query: z.object({
      userId: z.string().max(256).optional(),
      notice: z.string().max(32).optional(),
    }),
    handler: async ({ session, params, query }) => {
      const found = await rt.mcp.profiles.get(session.projectId, params.serverId);
      if (!found.ok) return notFoundPage(session, 'That MCP server profile');
      const s = found.value;
      const admin = rt.mcp.authServer.grantAdmin;
      const userId = query.userId?.trim() || undefined;
      const [clients, consents] = await Promise.all([
        admin.clients(session.projectId, s.id),
        admin.consents(session.projectId, s.id, { userId }),
      ]);
      const urls = serverUrls(rt.config.publicUrl, s.id);
      return consoleHtml(
        200,
        consolePage(
          `MCP server ${s.name}`,
          `<p><a href="/console/mcp">All MCP servers</a></p>
<dl class="facts"><dt>MCP URL</dt><dd><code>${escapeHtml(urls.resource)}</code></dd>
<dt>Authorization server</dt><dd><code>${escapeHtml(urls.issuer)}</code></dd>
<dt>Sign-in</dt><dd>${escapeHtml(loginLabel(s))}</dd><dt>Tool mode</dt><dd>${escapeHtml(s.toolMode)}</dd></dl>
<h2 id="grants">Consent grants</h2>
<form method="get" action="${serverUrl(s.id)}" class="filters" role="search">
<div><label for="userId">User</label><input type="search" id="userId" name="userId" value="${escapeHtml(userId ?? '')}"></div>
<button type="submit">Show</button></form>
${table(
  'What each user granted to each client',
  ['User', 'Client', 'Scopes', 'Grants', 'Updated', 'Actions'],
  consents.map((g) => consentRow(s, g, session)),
  userId ? 'This user has granted nothing here.' : 'No user has consented to a client yet.',
)}
<h2 id="clients">Registered clients</h2>
${table(
  'OAuth clients registered at this profile',
  ['Client', 'Redirect URIs', 'Authentication', 'Active grants', 'Registered', 'Actions'],
  clients.map((c) => clientRow(s, c, session)),
  'No client has registered yet.',
)}`,
          session,
          '/console/mcp',
          query.notice ? NOTICES[query.notice] : undefined,
        ),
      );
    },
  }),
  consoleActionRoute(rt, {
    url: '/console/mcp/:serverId/consents/revoke',
    operationId: 'consoleRevokeMcpConsent',
    summary: "Revokes a user's consent to an MCP client (as DELETE /v1/mcp/servers/:id/consents does)",
    role: 'operator',
    params: serverParams,
    body: z.object({
      csrf: z.string().max(100),
      userId: z.string().min(1).max(256),
      clientId: z.string().min(1).max(2000),
    }),
    handler: async ({ session, params, body }) =>
      rt.db.atomically(async () => {
        const found = await rt.mcp.profiles.get(session.projectId, params.serverId);
        if (!found.ok) return notFoundPage(session, 'That MCP server profile');
        const done = await rt.mcp.authServer.grantAdmin.revokeConsent(
          session.projectId,
          found.value.id,
          body.userId,
          body.clientId,
        );
        if (!done.ok) return seeOther(serverUrl(found.value.id, 'gone'));
        await rt.audit.admin(principalOf(session), 'admin.mcp_consent.revoked', {
          serverId: found.value.id,
          userId: body.userId,
          clientId: body.clientId,
          revokedGrants: done.value.revokedGrants,
          via: 'console',
          operator: session.operatorName,
        });
        return seeOther(serverUrl(found.value.id, 'consent_revoked'));
      }),
  }),
  consoleActionRoute(rt, {
    url: '/console/mcp/:serverId/clients/:clientId/revoke',
    operationId: 'consoleRevokeMcpClient',
    summary: 'Deletes a registered MCP client (as DELETE /v1/mcp/servers/:id/clients/:clientId does)',
    role: 'admin',
    params: z.strictObject({ serverId: z.string().min(1).max(64), clientId: z.string().min(1).max(64) }),
    body: z.object({ csrf: z.string().max(100) }),
    handler: async ({ session, params }) =>
      rt.db.atomically(async () => {
        const found = await rt.mcp.profiles.get(session.projectId, params.serverId);
        if (!found.ok) return notFoundPage(session, 'That MCP server profile');
        const done = await rt.mcp.authServer.grantAdmin.revokeClient(
          session.projectId,
          found.value.id,
          params.clientId,
        );
        if (!done.ok) return seeOther(serverUrl(found.value.id, 'gone'));
        await rt.audit.admin(principalOf(session), 'admin.mcp_client.revoked', {
          serverId: found.value.id,
          clientId: params.clientId,
          ...done.value,
          via: 'console',
          operator: session.operatorName,
        });
        return seeOther(serverUrl(found.value.id, 'client_revoked'));
      }),
  }),
];
