import { matchRequest, UNREADABLE_BODY } from '@gatehouse/catalog';
import type { AccountStore } from '../../accounts/store.js';
import type { AuthConfigService } from '../../auth-configs/service.js';
import type { ToolCatalog } from '../../catalog/tool-catalog.js';
import type { PolicyEngine } from '../../policy/engine.js';
import { proxyAction } from '../../policy/proxy-actions.js';
import type { ProviderApiDeps } from '../../providers/provider-api.js';
import type { ProxySettingsStore } from '../proxy-settings.js';
import { type Halt, type ProxyContext, refusal, rejection } from '../types.js';
import { openApi } from './call-tool.js';

export interface ProxyTargetDeps extends ProviderApiDeps {
  accounts: AccountStore;
  authConfigs: AuthConfigService;
  proxySettings: ProxySettingsStore;
  policies: PolicyEngine;
  catalog: ToolCatalog;
}

/** 1. The project lets its agents use the proxy at all (a project setting). */
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

/** 2. The connected account acts; its user is the call's user. Another project's account is not found. */
export async function loadAccount(ctx: ProxyContext, d: ProxyTargetDeps): Promise<Halt | undefined> {
  const { projectId, connectedAccountId } = ctx.request;
  const account = await d.accounts.get(projectId, connectedAccountId);
  if (!account) return rejection('not_found', `connected account ${connectedAccountId} not found`);
  ctx.account = account;
  ctx.userId = account.userId;
  const loaded = await d.authConfigs.load(projectId, account.authConfigId);
  if (!loaded.ok) return refusal(loaded.error);
  ctx.auth = loaded.value;
  openApi(ctx, d);
  if (account.status !== 'ACTIVE')
    return refusal({ code: 'account_inactive', message: `the connected account is ${account.status}` });
  return undefined;
}

/**
 * 3. Where the request goes (only under the provider's API base) and what it is governed as: the
 * action `proxy:<METHOD>`, and every catalog tool of the provider whose HTTP mapping the request is,
 * with the arguments that tool would have been given. So a forbid on `acme.tasks.create` amounts
 * also stops a proxied `POST /tasks` with that amount.
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
  const provider = api.provider.id;
  ctx.tool = proxyAction(req.method, provider, ctx.costUnits ?? 1);
  ctx.args = { method: req.method, path, query: url.value.search.replace(/^\?/, '') };
  // A human approves the whole request, and the approval holds only for exactly that request.
  ctx.approvalArguments = {
    ...ctx.args,
    ...(req.headers ? { headers: req.headers } : {}),
    ...(req.body !== undefined ? { body: req.body } : {}),
  };

  const raw = { method: req.method, path, query: url.value.searchParams, body: readBody(req.body) };
  const matched: NonNullable<ProxyContext['alsoGovernedAs']> = [];
  const unreadable: string[] = [];
  const catalog = await d.catalog.forProject(req.projectId);
  for (const tool of catalog.ofProvider(provider)) {
    const m = matchRequest(tool.tool, raw);
    if (m?.kind === 'arguments') matched.push({ tool, args: m.args });
    else if (m?.kind === 'unreadable') unreadable.push(tool.tool.slug);
  }
  ctx.alsoGovernedAs = matched;
  if (matched.length > 0 || unreadable.length > 0)
    ctx.notes.proxy = { matches: [...matched.map((m) => m.tool.tool.slug), ...unreadable] };
  ctx.unreadableFor = unreadable;
  return undefined;
}

/**
 * 4. What policies cannot see, they do not let through. When the project has policies, a request that
 * is a catalog tool's call but whose body is not JSON (so its arguments are hidden), or that returns
 * records an enforced record-level forbid filters (the proxy returns the raw answer, unfiltered), is
 * refused with a pointer to the tool.
 */
export async function guardUnseen(ctx: ProxyContext, d: ProxyTargetDeps): Promise<Halt | undefined> {
  const policies = await d.policies.forProject(ctx.request.projectId);
  if (policies.none) return undefined;
  const unreadable = ctx.unreadableFor ?? [];
  if (unreadable.length > 0)
    return refusal({
      code: 'policy_denied',
      message: `this request is ${unreadable.join(', ')} with a body policies cannot read (send JSON): use the tool, or a JSON body`,
      details: { reason: 'unreadable_body', tools: unreadable },
    });
  const filtered = (ctx.alsoGovernedAs ?? []).filter((a) => a.tool.tool.records);
  if (filtered.length > 0 && policies.enforcesRecords)
    return refusal({
      code: 'policy_denied',
      message: `record-level policies filter what ${filtered[0]!.tool.tool.slug} returns, and the proxy cannot: use the tool`,
      details: { reason: 'records', tools: filtered.map((a) => a.tool.tool.slug) },
    });
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
