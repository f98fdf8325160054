import type { KoaContextWithOIDC } from 'oidc-provider';
import { orderScopes, TASKS_SCOPES } from '../scopes.js';
import type { IssuedTokens, SandboxStats } from '../stats.js';
import { applyTokenResponseQuirks, type SandboxQuirks } from './quirks.js';

export interface ObserveDependencies {
  stats: SandboxStats;
  issuedTokens: IssuedTokens;
  quirks: SandboxQuirks;
}

type Next = () => Promise<unknown>;

/**
 * oidc-provider post-processing middleware (`provider.use`): counts token requests, records issued
 * token values, reports the full granted scope, applies response quirks, completes discovery.
 */
export function observeProvider({ stats, issuedTokens, quirks }: ObserveDependencies) {
  return async function observe(ctx: KoaContextWithOIDC, next: Next): Promise<void> {
    await next();

    const route = ctx.oidc?.route;
    const body = ctx.body;
    if (!isRecord(body)) return;

    if (route === 'discovery' && Array.isArray(body.scopes_supported)) {
      body.scopes_supported = orderScopes([...body.scopes_supported.map(String), ...TASKS_SCOPES]);
    }
    if (route !== 'token') return;

    stats.tokenRequests++;
    if (ctx.status === 200 && typeof body.access_token === 'string') {
      const grantType = ctx.oidc.params?.grant_type;
      if (grantType === 'authorization_code') stats.authorizationCodeGrants++;
      if (grantType === 'refresh_token') stats.refreshGrants++;
      issuedTokens.record(body);
      body.scope = grantedScope(ctx).join(' ');
      applyTokenResponseQuirks(body, quirks);
    } else if (body.error === 'invalid_grant' && ctx.oidc.entities.RefreshToken?.consumed !== undefined) {
      // oidc-provider found the presented refresh token already consumed and revoked the grant.
      stats.refreshReuseDetected++;
    }
  };
}

/**
 * Every scope granted by this exchange. oidc-provider's `scope` only lists the access token's
 * (resource) scopes; a client also wants to know it got `openid`, as most providers report it.
 */
function grantedScope(ctx: KoaContextWithOIDC): string[] {
  const { RefreshToken, AuthorizationCode, AccessToken } = ctx.oidc.entities;
  const source = RefreshToken ?? AuthorizationCode;
  const granted = new Set([...(source?.scope ?? '').split(' '), ...(AccessToken?.scope ?? '').split(' ')]);
  const requested = ctx.oidc.params?.scope;
  const scopes = typeof requested === 'string' ? requested.split(' ').filter((s) => granted.has(s)) : granted;
  return orderScopes([...scopes].filter((s) => s.length > 0));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}
