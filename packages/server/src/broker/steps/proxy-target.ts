import { UNREADABLE_BODY } from '@gatehouse/catalog';
import type { AccountReads } from '../../accounts/account-cache.js';
import type { AuthConfigService } from '../../auth-configs/service.js';
import type { ToolCatalog } from '../../catalog/tool-catalog.js';
import type { PolicyEngine } from '../../policy/engine.js';
import { proxyAction } from '../../policy/proxy-actions.js';
import type { ProviderApiDeps } from '../../providers/provider-api.js';
import type { ProxySettingsStore } from '../proxy-settings.js';
import { type Halt, type ProxyContext, refusal, rejection } from '../types.js';
import { openApi } from './call-tool.js';
import { governAsMatchingTools } from './governed-as.js';

export interface ProxyTargetDeps extends ProviderApiDeps {
  accounts: AccountReads;
  authConfigs: AuthConfigService;
  proxySettings: ProxySettingsStore;
  policies: PolicyEngine;
  catalog: ToolCatalog;
}

/** The project lets its agents use the proxy at all (a project setting). */
export async function checkProxyOpen(ctx: ProxyContext, d: ProxyTargetDeps): Promise<Halt | undefined> {
  const settings = await d.proxySettings.get(ctx.request.projectId);
  if (!settings.enabled)
    return rejection(
      'proxy_disabled',
      'the proxy is disabled for this project: use a tool, or enable it with PUT /v1/settings/proxy',
    );
  ctx.costUnits = settings.costUnits;
  return undefined;
}

/** The connected account acts; its user is the call's user. Another project's account is not found. */
export async function loadAccount(ctx: ProxyContext, d: ProxyTargetDeps): Promise<Halt | undefined> {
  const { projectId, connectedAccountId } = ctx.request;
  const account = await d.accounts.get(projectId, connectedAccountId);
  if (!account) return rejection('not_found', `connected account ${connectedAccountId} not found`);
  ctx.account = account;
  ctx.userId = account.userId;
  if (account.groupId !== null) ctx.groupId = account.groupId;
  const loaded = await d.authConfigs.load(projectId, account.authConfigId);
  if (!loaded.ok) return refusal(loaded.error);
  ctx.auth = loaded.value;
  openApi(ctx, d);
  if (account.status !== 'ACTIVE')
    return refusal({ code: 'account_inactive', message: `the connected account is ${account.status}` });
  return undefined;
}

/**
 * Where the request goes (only under the provider's API base) and what it is governed as: the
 * action `proxy:<METHOD>`, and every catalog tool of the provider whose HTTP mapping the request is.
 */
export async function resolveTarget(ctx: ProxyContext, d: ProxyTargetDeps): Promise<Halt | undefined> {
  const req = ctx.request;
  const api = ctx.api!;
  const url = api.url(req.path);
  if (!url.ok)
    return url.error.code === 'invalid_path'
      ? rejection('invalid_path', url.error.message)
      : refusal(url.error);
  for (const [k, v] of Object.entries(req.query ?? {}))
    for (const item of Array.isArray(v) ? v : [v]) url.value.searchParams.append(k, item);
  ctx.target = url.value;
  const base = api.url('/');
  const prefix = base.ok ? base.value.pathname.replace(/\/+$/, '') : '';
  const path = url.value.pathname.slice(prefix.length) || '/';
  ctx.tool = proxyAction(req.method, api.provider.id, ctx.costUnits ?? 1);
  ctx.args = { method: req.method, path, query: url.value.search.replace(/^\?/, '') };
  // A human approves the whole request, and the approval holds only for exactly that request.
  ctx.approvalArguments = Object.assign(
    {},
    ctx.args,
    req.headers ? { headers: req.headers } : undefined,
    req.body !== undefined ? { body: req.body } : undefined,
  );
  const body = readBody(req.body);
  await governAsMatchingTools(ctx, d, { method: req.method, path, query: url.value.searchParams, body });
  // What a policy read is what the upstream gets: a JSON text with, say, a key given twice is sent
  // as it was read, not as a parser that keeps the first one would read it.
  const governed = (ctx.alsoGovernedAs?.length ?? 0) > 0;
  if (governed && typeof req.body === 'string' && body !== undefined && body !== UNREADABLE_BODY)
    ctx.forwardBody = JSON.stringify(body);
  return undefined;
}

/** The JSON a policy can read from the body: a JSON value, or a string holding JSON. */
function readBody(body: unknown): unknown {
  if (body === undefined || body === null) return undefined;
  if (typeof body !== 'string') return body;
  if (body.trim() === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return UNREADABLE_BODY;
  }
}
