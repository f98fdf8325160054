import { buildRequest, shapeOutput } from '@gatehouse/catalog';
import { secretValues } from '../../accounts/credentials.js';
import type { Outbound } from '../../outbound/client.js';
import { apiBaseUrl } from '../../providers/resolve.js';
import type { TokenService } from '../../tokens/token-service.js';
import { decodeBody, joinUrl } from '../http-body.js';
import { scrub } from '../scrub.js';
import { type ExecutionContext, type Halt, rejection, toolFailure } from '../types.js';
import { authorizeHeader, callUpstream, type RetryPolicy } from '../upstream.js';
import { type AccountDeps, authorizationRequired } from './resolve-account.js';

export interface CallDeps extends AccountDeps {
  tokens: TokenService;
  outbound: Outbound;
  retry: RetryPolicy;
}

/** 7. A fresh access token (refreshed under the row lock when it is about to expire). */
export async function acquireToken(ctx: ExecutionContext, d: CallDeps): Promise<Halt | undefined> {
  const { provider, client } = ctx.auth!;
  const token = await d.tokens.accessToken(ctx.account!, provider, client);
  if (!token.ok) {
    if (
      token.error.code === 'account_revoked' ||
      token.error.code === 'account_inactive' ||
      token.error.code === 'token_expired'
    ) {
      return authorizationRequired(ctx, d, {
        reason: 'reconnect',
        scopes: ctx.tool!.tool.scopes,
        account: { ...ctx.account!, status: 'REVOKED' },
      });
    }
    return toolFailure(ctx, token.error);
  }
  ctx.token = token.value;
  ctx.account = token.value.account;
  ctx.secrets.push(...secretValues(token.value.credentials));
  return undefined;
}

/**
 * 8. The upstream call: the tool's HTTP mapping under the provider's base URL, the token injected by
 * the broker, timeouts and retries per the broker's rules, one refresh on 401.
 */
export async function invokeUpstream(ctx: ExecutionContext, d: CallDeps): Promise<Halt | undefined> {
  const { tool } = ctx.tool!;
  const { provider, client } = ctx.auth!;
  const built = buildRequest(tool, ctx.args!);
  if (!built.ok) return rejection('invalid_arguments', built.error.message, { issues: built.error.issues });
  const base = apiBaseUrl(provider, ctx.account!.connection_config);
  if (!base.ok) return toolFailure(ctx, base.error);
  const url = joinUrl(base.value, built.value.path);
  if (!url) return rejection('invalid_arguments', 'the arguments produce a path outside the provider API');
  const api = provider.definition.api;
  const body = built.value.body === undefined ? undefined : JSON.stringify(built.value.body);
  const method = tool.http.method;
  const idempotent = tool.idempotent ?? (method === 'GET' || method === 'PUT' || method === 'DELETE');
  const result = await callUpstream(
    d.outbound,
    d.retry,
    {
      url,
      method,
      headers: {
        accept: 'application/json',
        ...api.defaultHeaders,
        ...built.value.headers,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...authorizeHeader(api.authHeader, ctx.token!.credentials.accessToken),
      },
      body,
      idempotent: idempotent || ctx.request.idempotencyKey !== undefined,
      internal: provider.internal,
      rateLimit: api.rateLimit,
    },
    async () => {
      const refreshed = await d.tokens.refresh(ctx.account!, provider, client, 'rejected');
      if (!refreshed.ok) return undefined;
      ctx.token = refreshed.value;
      ctx.account = refreshed.value.account;
      ctx.secrets.push(...secretValues(refreshed.value.credentials));
      return { headers: authorizeHeader(api.authHeader, refreshed.value.credentials.accessToken) };
    },
  );
  if (!result.ok) {
    ctx.attempts = result.error.attempts;
    return toolFailure(ctx, { code: result.error.code, message: result.error.message });
  }
  ctx.upstream = result.value;
  ctx.attempts = result.value.attempts;
  if (result.value.status === 401) {
    // A token that was just refreshed and is still refused: the grant was revoked out of band.
    await d.tokens.markRevoked(ctx.account!, 'the provider refused a freshly refreshed token (401)');
    return authorizationRequired(ctx, d, {
      reason: 'reconnect',
      scopes: tool.scopes,
      account: { ...ctx.account!, status: 'REVOKED' },
    });
  }
  return undefined;
}

/** 9. Output for the agent: the tool's shaping, with every secret scrubbed; upstream errors made clear. */
export function shapeResult(ctx: ExecutionContext): Halt | undefined {
  const res = ctx.upstream!;
  const parsed = scrub(decodeBody(res), ctx.secrets);
  if (res.status >= 400) {
    const providerName = ctx.auth!.provider.definition.displayName;
    const rateLimited =
      res.status === 429 || ctx.auth!.provider.definition.api.rateLimit.statuses.includes(res.status);
    return toolFailure(ctx, {
      code: rateLimited ? 'upstream_rate_limited' : 'upstream_error',
      message: `${providerName} answered ${res.status}${summary(parsed)}`,
      details: {
        status: res.status,
        body: parsed,
        ...(res.headers['retry-after'] ? { retryAfter: res.headers['retry-after'] } : {}),
      },
    });
  }
  const shaped = shapeOutput(ctx.tool!.tool, parsed, res.headers, ctx.args);
  ctx.result = {
    successful: true,
    data: shaped.data,
    nextCursor: shaped.nextCursor,
    error: null,
    executionId: ctx.executionId,
  };
  return undefined;
}

function summary(body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    const text = b.error_description ?? b.message ?? b.error;
    if (typeof text === 'string') return `: ${text.slice(0, 200)}`;
  }
  return typeof body === 'string' && body.length > 0 ? `: ${body.slice(0, 200)}` : '';
}
