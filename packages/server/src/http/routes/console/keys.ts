import { z } from 'zod';
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
import { KEY_ROLES } from '../../../projects/key-roles.js';
import type { Runtime } from '../../../runtime.js';
import { consoleActionRoute, consoleHtml, consolePageRoute, notFoundPage, seeOther } from './guard.js';

const NOTICES: Record<string, Notice> = {
  revoked: { kind: 'ok', text: 'The key was revoked: it stops working within seconds on every replica.' },
};

async function keysPage(
  rt: Runtime,
  session: ConsoleSession,
  minted?: { name: string; secret: string },
  notice?: Notice,
) {
  const page = await rt.apiKeys.list(session.projectId, { limit: 200 });
  const admin = roleAllows(session.role, 'admin');
  const rows = page.items.map((k) => [
    `<strong>${escapeHtml(k.name)}</strong><br><code>${escapeHtml(k.prefix)}…</code>`,
    escapeHtml(k.agentId ? `agent ${k.agentId}` : k.role),
    escapeHtml(when(k.createdAt)),
    escapeHtml(when(k.lastUsedAt)),
    k.revokedAt
      ? statusBadge('revoked')
      : admin
        ? `<form method="post" action="/console/keys/${escapeHtml(k.id)}/revoke" class="inline" data-confirm="Revoke the key ${escapeHtml(k.name)}?">${csrfField(session)}<button type="submit" class="danger" aria-label="Revoke key ${escapeHtml(k.name)}">Revoke</button></form>`
        : statusBadge('active'),
  ]);
  // A new key is shown once, in this answer only (never stored, never in a URL; answers are no-store).
  const shown = minted
    ? `<div class="notice ok" role="status"><p>Created the key <strong>${escapeHtml(minted.name)}</strong>. Copy it now: it is not shown again.</p>
<label for="new-key">New API key</label><input type="text" id="new-key" readonly value="${escapeHtml(minted.secret)}" size="70"></div>`
    : '';
  const form = admin
    ? `<h2>Create a key</h2><form method="post" action="/console/keys" class="filters">${csrfField(session)}
<div><label for="key-name">Name</label><input type="text" id="key-name" name="name" required maxlength="100"></div>
<div><label for="key-role">Role</label><select id="key-role" name="role">${KEY_ROLES.map((r) => `<option value="${r}"${r === 'runtime' ? ' selected' : ''}>${r}</option>`).join('')}</select></div>
<button type="submit">Create</button></form>`
    : '';
  return consolePage(
    'API keys',
    `${shown}<p>An <code>admin</code> key manages the project; a <code>runtime</code> key is what an agent needs to act.</p>
${table('API keys of this project, newest first', ['Key', 'Role', 'Created', 'Last used', 'State'], rows, 'No keys.')}${form}`,
    session,
    '/console/keys',
    notice,
  );
}

/** The project's API keys: roles, last use; admins create (shown once) and revoke, as /v1/api-keys does. */
export const consoleKeyRoutes = (rt: Runtime) => [
  consolePageRoute(rt, {
    url: '/console/keys',
    operationId: 'consoleKeys',
    summary: "The project's API keys",
    query: z.object({ notice: z.string().max(32).optional() }),
    handler: async ({ session, query }) =>
      consoleHtml(
        200,
        await keysPage(rt, session, undefined, query.notice ? NOTICES[query.notice] : undefined),
      ),
  }),
  consoleActionRoute(rt, {
    url: '/console/keys',
    operationId: 'consoleCreateKey',
    summary: 'Creates an API key',
    role: 'admin',
    body: z.object({
      csrf: z.string().max(100),
      name: z.string().trim().min(1).max(100),
      role: z.enum(KEY_ROLES),
    }),
    handler: async ({ session, body }) =>
      rt.db.atomically(async () => {
        const { apiKey, secret } = await rt.apiKeys.create(session.projectId, body.name, body.role);
        await rt.audit.admin(principalOf(session), 'admin.api_key.created', {
          keyId: apiKey.id,
          name: apiKey.name,
          role: apiKey.role,
          via: 'console',
          operator: session.operatorName,
        });
        return consoleHtml(200, await keysPage(rt, session, { name: apiKey.name, secret }));
      }),
  }),
  consoleActionRoute(rt, {
    url: '/console/keys/:id/revoke',
    operationId: 'consoleRevokeKey',
    summary: 'Revokes an API key',
    role: 'admin',
    params: z.strictObject({ id: z.string().min(1).max(64) }),
    body: z.object({ csrf: z.string().max(100) }),
    handler: async ({ session, params }) =>
      rt.db.atomically(async () => {
        const revoked = await rt.apiKeys.revoke(session.projectId, params.id);
        if (!revoked.ok) return notFoundPage(session, 'That key');
        await rt.audit.admin(principalOf(session), 'admin.api_key.revoked', {
          keyId: revoked.value.id,
          name: revoked.value.name,
          via: 'console',
          operator: session.operatorName,
        });
        return seeOther('/console/keys?notice=revoked');
      }),
  }),
];
