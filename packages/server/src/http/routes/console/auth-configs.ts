import type { ProviderDefinition, ProviderGuide } from '@gatehouse/catalog';
import { z } from 'zod';
import type { AuthConfigView } from '../../../auth-configs/sensitive-settings.js';
import type { AuthConfig } from '../../../auth-configs/store.js';
import {
  brandingOf,
  brandingPreview,
  ceilingFields,
  ceilingOf,
  guideSection,
  previewImageSources,
  settingsFields,
} from '../../../console/auth-config-views.js';
import {
  consoleCsp,
  consolePage,
  csrfField,
  escapeHtml,
  type Notice,
  table,
  when,
} from '../../../console/layout.js';
import { roleAllows } from '../../../console/roles.js';
import { type ConsoleSession, principalOf } from '../../../console/sessions.js';
import { availableBuiltInProviders } from '../../../providers/resolve.js';
import type { Runtime } from '../../../runtime.js';
import { findProvider } from '../providers.js';
import { consoleActionRoute, consoleHtml, consolePageRoute, notFoundPage, seeOther } from './guard.js';

const idParams = z.strictObject({ id: z.string().min(1).max(64) });
/** A form's repeated checkbox arrives as a string (one checked) or an array (several). */
const many = z
  .union([z.string().max(200), z.array(z.string().max(200)).max(200)])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));
const ceilingBody = {
  csrf: z.string().max(100),
  allowedScopes: many,
  otherScopes: z.string().max(8000).optional(),
};

const NOTICES: Record<string, Notice> = {
  created: { kind: 'ok', text: 'The auth config was created. Connect Links can use it now.' },
  scopes: { kind: 'ok', text: 'The scope ceiling was saved.' },
  deleted: { kind: 'ok', text: 'The auth config was deleted.' },
  confirm: { kind: 'error', text: 'Tick the confirmation box to delete the auth config.' },
};
const noticeOf = (code: string | undefined) => (code ? NOTICES[code] : undefined);
const configUrl = (id: string, notice?: string) =>
  `/console/auth-configs/${encodeURIComponent(id)}${notice ? `?notice=${notice}` : ''}`;

/** A page whose CSP also allows the previewed logo's origin (and nothing else extra). */
const withPreview = (status: number, html: string, logoFrom: AuthConfig['branding']) =>
  consoleHtml(status, html, consoleCsp([], previewImageSources(logoFrom)));

interface FormValues {
  name?: string | undefined;
  clientId?: string | undefined;
  settings: Record<string, string>;
  allowedScopes: string[] | null;
  branding: AuthConfig['branding'];
}

/** The create form, with the provider's guide beside it. The client secret is never put back in. */
function createPage(
  session: ConsoleSession,
  provider: { definition: ProviderDefinition; guide: ProviderGuide },
  values: FormValues,
  problem?: string,
): string {
  const d = provider.definition;
  const oauth = d.authType === 'oauth2';
  const b = values.branding;
  const client = oauth
    ? `<label for="ac-client-id">Client ID</label><input type="text" id="ac-client-id" name="clientId" required maxlength="500" size="50" autocomplete="off" value="${escapeHtml(values.clientId ?? '')}">
<label for="ac-client-secret">Client secret</label><input type="password" id="ac-client-secret" name="clientSecret" maxlength="4000" size="50" autocomplete="new-password" aria-describedby="ac-secret-hint">
<p class="hint" id="ac-secret-hint">Stored encrypted; never shown again${problem ? '. Type it again: it is not kept in this form' : ''}.</p>
${ceilingFields(d, values.allowedScopes)}`
    : `<p>${escapeHtml(d.displayName)} uses ${escapeHtml(d.authType)} credentials: each user enters their own, so there is no OAuth client or scope here.</p>`;
  const form = `<form method="post" action="/console/auth-configs" class="stack">${csrfField(session)}
<input type="hidden" name="providerId" value="${escapeHtml(d.id)}">
<label for="ac-name">Name</label><input type="text" id="ac-name" name="name" maxlength="100" size="50" placeholder="${escapeHtml(d.displayName)}" value="${escapeHtml(values.name ?? '')}">
${settingsFields(d, values.settings)}${client}
<fieldset><legend>Branding of the Connect page</legend>
<label for="ac-display-name">Display name</label><input type="text" id="ac-display-name" name="displayName" maxlength="100" size="40" data-preview-input="name" value="${escapeHtml(b.displayName ?? '')}">
<label for="ac-accent">Accent colour (#rrggbb)</label><input type="text" id="ac-accent" name="accentColor" pattern="#[0-9a-fA-F]{6}" size="10" data-preview-input="accent" value="${escapeHtml(b.accentColor ?? '')}">
<label for="ac-logo">Logo URL (https)</label><input type="text" id="ac-logo" name="logoUrl" maxlength="2000" size="50" data-preview-input="logo" value="${escapeHtml(b.logoUrl ?? '')}">
${brandingPreview({ branding: b, configName: values.name || d.displayName, providerName: d.displayName })}
</fieldset>
<button type="submit">Create auth config</button></form>`;
  return consolePage(
    `New ${d.displayName} auth config`,
    `<p><a href="/console/auth-configs">All auth configs</a></p>${problem ? `<div class="notice error" role="alert">${escapeHtml(problem)}</div>` : ''}
<div class="two-columns">${guideSection(provider.guide)}<section aria-labelledby="form-h"><h2 id="form-h">Create</h2>${
      roleAllows(session.role, 'admin')
        ? form
        : '<p class="muted">Read only: your role cannot create auth configs.</p>'
    }</section></div>`,
    session,
    '/console/auth-configs',
  );
}

async function detailPage(
  rt: Runtime,
  session: ConsoleSession,
  config: AuthConfigView,
  notice?: Notice,
  problem?: string,
): Promise<string> {
  const provider = await findProvider(rt, session.projectId, config.providerId);
  const admin = roleAllows(session.role, 'admin');
  const facts = `<dl class="facts">
<dt>Provider</dt><dd><code>${escapeHtml(config.providerId)}</code></dd>
<dt>Client ID</dt><dd>${config.clientId ? `<code>${escapeHtml(config.clientId)}</code>` : '<span class="muted">none</span>'}</dd>
<dt>Client secret</dt><dd>${config.hasClientSecret ? 'set (never shown)' : '<span class="muted">not set</span>'}</dd>
<dt>Settings</dt><dd>${
    [
      ...Object.entries(config.settings).map(([k, v]) => `<code>${escapeHtml(k)}=${escapeHtml(v)}</code>`),
      // Sensitive settings are write-only (auth-configs/sensitive-settings.ts): named, never shown.
      ...config.sensitiveSettings.map((k) => `<code>${escapeHtml(k)}</code> set (never shown)`),
    ].join(' ') || '<span class="muted">none</span>'
  }</dd>
<dt>Scope ceiling</dt><dd class="ceiling">${config.allowedScopes ? config.allowedScopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(' ') : '<span class="muted">none (any scope the provider offers)</span>'}</dd>
<dt>Created</dt><dd>${escapeHtml(when(config.createdAt))}</dd></dl>`;
  const edit =
    admin && provider && provider.definition.authType === 'oauth2'
      ? `<h2>Edit the scope ceiling</h2>${problem ? `<div class="notice error" role="alert">${escapeHtml(problem)}</div>` : ''}
<form method="post" action="${configUrl(config.id)}/scopes">${csrfField(session)}${ceilingFields(provider.definition, config.allowedScopes)}
<button type="submit">Save the ceiling</button></form>`
      : '';
  const remove = admin
    ? `<h2>Delete</h2><form method="post" action="${configUrl(config.id)}/delete">${csrfField(session)}
<div class="check"><input type="checkbox" id="confirm-delete" name="confirm" value="yes" required>
<label for="confirm-delete">Yes, delete ${escapeHtml(config.name)}: Connect Links and accounts using it stop working</label></div>
<button type="submit" class="danger">Delete auth config</button></form>`
    : '<p class="muted">Read only: your role cannot change auth configs.</p>';
  return consolePage(
    `Auth config ${config.name}`,
    `<p><a href="/console/auth-configs">All auth configs</a></p>${facts}
<h2>Branding</h2>${brandingPreview({ branding: config.branding, configName: config.name, providerName: provider?.definition.displayName ?? config.providerId })}
${edit}${remove}`,
    session,
    '/console/auth-configs',
    notice,
  );
}

/** Auth configs: list, create with the provider's guide and a branding preview, scope ceilings, delete. */
export const consoleAuthConfigRoutes = (rt: Runtime) => [
  consolePageRoute(rt, {
    url: '/console/auth-configs',
    operationId: 'consoleAuthConfigs',
    summary: "The project's auth configs",
    query: z.object({ notice: z.string().max(32).optional() }),
    handler: async ({ session, query }) => {
      const page = await rt.authConfigs.list(session.projectId, {}, { limit: 200 });
      const rows = page.items.map((c) => [
        `<a href="${configUrl(c.id)}">${escapeHtml(c.name)}</a><br><code>${escapeHtml(c.id)}</code>`,
        `<code>${escapeHtml(c.providerId)}</code>`,
        c.clientId ? `<code>${escapeHtml(c.clientId)}</code>` : '<span class="muted">none</span>',
        c.allowedScopes
          ? c.allowedScopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(' ')
          : '<span class="muted">no ceiling</span>',
        escapeHtml(when(c.createdAt)),
      ]);
      const providers = [
        ...availableBuiltInProviders(rt.config.allowInternalProviders),
        ...(await rt.customProviders.list(session.projectId)).map((c) => c.definition),
      ];
      const create = roleAllows(session.role, 'admin')
        ? `<h2>Create an auth config</h2><form method="get" action="/console/auth-configs/new" class="filters">
<div><label for="provider">Provider</label><select id="provider" name="provider">${providers
            .map((d) => `<option value="${escapeHtml(d.id)}">${escapeHtml(d.displayName)}</option>`)
            .join('')}</select></div><button type="submit">Set up</button></form>`
        : '<p class="muted">Read only: your role cannot create auth configs.</p>';
      return consoleHtml(
        200,
        consolePage(
          'Auth configs',
          `<p>An auth config is the project's OAuth app (or credential type) for one provider.</p>
${table('Auth configs of this project', ['Auth config', 'Provider', 'Client ID', 'Scope ceiling', 'Created'], rows, 'No auth configs yet.')}${create}`,
          session,
          '/console/auth-configs',
          noticeOf(query.notice),
        ),
      );
    },
  }),
  consolePageRoute(rt, {
    url: '/console/auth-configs/new',
    operationId: 'consoleNewAuthConfig',
    summary: "A provider's setup guide and the create form",
    query: z.object({ provider: z.string().min(1).max(64) }),
    handler: async ({ session, query }) => {
      const provider = await findProvider(rt, session.projectId, query.provider);
      if (!provider) return notFoundPage(session, 'That provider');
      const values = { settings: {}, allowedScopes: null, branding: {} };
      return consoleHtml(200, createPage(session, provider, values));
    },
  }),
  consolePageRoute(rt, {
    url: '/console/auth-configs/:id',
    operationId: 'consoleAuthConfig',
    summary: 'One auth config: branding preview, scope ceiling',
    params: idParams,
    query: z.object({ notice: z.string().max(32).optional() }),
    handler: async ({ session, params, query }) => {
      const found = await rt.authConfigs.get(session.projectId, params.id);
      if (!found.ok) return notFoundPage(session, 'That auth config');
      const html = await detailPage(rt, session, found.value, noticeOf(query.notice));
      return withPreview(200, html, found.value.branding);
    },
  }),
  consoleActionRoute(rt, {
    url: '/console/auth-configs',
    operationId: 'consoleCreateAuthConfig',
    summary: 'Creates an auth config (as POST /v1/auth-configs does)',
    role: 'admin',
    body: z.looseObject({
      ...ceilingBody,
      providerId: z.string().min(1).max(64),
      name: z.string().max(100).optional(),
      clientId: z.string().max(500).optional(),
      clientSecret: z.string().max(4000).optional(),
      displayName: z.string().max(100).optional(),
      accentColor: z.string().max(20).optional(),
      logoUrl: z.string().max(2000).optional(),
    }),
    handler: async ({ session, body }) =>
      rt.db.atomically(async () => {
        const provider = await findProvider(rt, session.projectId, body.providerId);
        if (!provider) return notFoundPage(session, 'That provider');
        const settings = Object.fromEntries(
          Object.keys(provider.definition.settings ?? {})
            .map((k) => [k, body[`setting_${k}`]] as const)
            .filter((e): e is readonly [string, string] => typeof e[1] === 'string' && e[1].trim() !== '')
            .map(([k, v]) => [k, v.trim().slice(0, 2000)]),
        );
        const oauth = provider.definition.authType === 'oauth2';
        const ceiling = ceilingOf(body.allowedScopes, body.otherScopes);
        const branding = brandingOf(body);
        const values: FormValues = {
          name: body.name,
          clientId: body.clientId,
          settings,
          allowedScopes: ceiling.ok ? ceiling.value : null,
          branding: branding.ok ? branding.value : {},
        };
        const again = (problem: string) =>
          withPreview(400, createPage(session, provider, values, problem), values.branding);
        if (!ceiling.ok) return again(ceiling.problem);
        if (!branding.ok) return again(branding.problem);
        const created = await rt.authConfigs.create(session.projectId, {
          providerId: provider.definition.id,
          name: body.name?.trim() || undefined,
          clientId: oauth ? body.clientId?.trim() || undefined : undefined,
          clientSecret: oauth ? body.clientSecret || undefined : undefined,
          settings,
          allowedScopes: oauth ? ceiling.value : undefined,
          branding: branding.value,
        });
        if (!created.ok) return again(created.error.message);
        await rt.audit.admin(principalOf(session), 'admin.auth_config.created', {
          authConfigId: created.value.id,
          providerId: created.value.providerId,
          name: created.value.name,
          via: 'console',
          operator: session.operatorName,
        });
        return seeOther(configUrl(created.value.id, 'created'));
      }),
  }),
  consoleActionRoute(rt, {
    url: '/console/auth-configs/:id/scopes',
    operationId: 'consoleAuthConfigCeiling',
    summary: "Sets an auth config's scope ceiling (as PATCH /v1/auth-configs/:id does)",
    role: 'admin',
    params: idParams,
    body: z.object(ceilingBody),
    handler: async ({ session, params, body }) =>
      rt.db.atomically(async () => {
        const found = await rt.authConfigs.get(session.projectId, params.id);
        if (!found.ok) return notFoundPage(session, 'That auth config');
        const ceiling = ceilingOf(body.allowedScopes, body.otherScopes);
        const updated = ceiling.ok
          ? await rt.authConfigs.update(session.projectId, params.id, { allowedScopes: ceiling.value })
          : undefined;
        if (!updated?.ok) {
          const problem = ceiling.ok ? (updated?.error.message ?? 'not saved') : ceiling.problem;
          const html = await detailPage(rt, session, found.value, undefined, problem);
          return withPreview(400, html, found.value.branding);
        }
        await rt.audit.admin(principalOf(session), 'admin.auth_config.updated', {
          authConfigId: params.id,
          fields: ['allowedScopes'],
          via: 'console',
          operator: session.operatorName,
        });
        return seeOther(configUrl(params.id, 'scopes'));
      }),
  }),
  consoleActionRoute(rt, {
    url: '/console/auth-configs/:id/delete',
    operationId: 'consoleDeleteAuthConfig',
    summary: 'Deletes an auth config (as DELETE /v1/auth-configs/:id does)',
    role: 'admin',
    params: idParams,
    body: z.object({ csrf: z.string().max(100), confirm: z.literal('yes').optional() }),
    handler: async ({ session, params, body }) =>
      rt.db.atomically(async () => {
        // The confirmation is checked here too: a form without the ticked box deletes nothing.
        if (body.confirm !== 'yes') return seeOther(configUrl(params.id, 'confirm'));
        const deleted = await rt.authConfigs.delete(session.projectId, params.id);
        if (!deleted.ok) return notFoundPage(session, 'That auth config');
        await rt.audit.admin(principalOf(session), 'admin.auth_config.deleted', {
          authConfigId: params.id,
          via: 'console',
          operator: session.operatorName,
        });
        return seeOther('/console/auth-configs?notice=deleted');
      }),
  }),
];
