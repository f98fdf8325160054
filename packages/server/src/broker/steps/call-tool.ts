import { buildRequest, encodeBody, shapeOutput } from '@gatehouse/catalog';
import { bodyError } from '../../providers/error-body.js';
import { joinUrl, ProviderApi, type ProviderApiDeps } from '../../providers/provider-api.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { decodeScrubbed } from '../http-body.js';
import { scrubberFor } from '../scrub.js';
import { type CallContext, type ExecutionContext, type Halt, refusal, rejection } from '../types.js';
import { type GovernedAsDeps, governAsMatchingTools } from './governed-as.js';
import { type AccountDeps, authorizationRequired } from './resolve-account.js';

export interface CallDeps extends AccountDeps, ProviderApiDeps {}

/** The account's provider API for this call; the secrets it touches land in the call's scrub list. */
export function openApi(ctx: CallContext, d: ProviderApiDeps): ProviderApi {
  ctx.api ??= ProviderApi.forAccount(d, ctx.account!, ctx.auth!, ctx.secrets);
  return ctx.api;
}

/** A fresh access token (refreshed under the account's lease when it is about to expire). */
export async function acquireToken(ctx: ExecutionContext, d: CallDeps): Promise<Halt | undefined> {
  const token = await openApi(ctx, d).authorize();
  if (token.ok) {
    ctx.account = ctx.api!.account ?? ctx.account!;
    return undefined;
  }
  if (ACCOUNT_GONE.has(token.error.code)) return reconnect(ctx, d);
  return refusal(token.error);
}

const ACCOUNT_GONE = new Set(['account_revoked', 'account_inactive', 'token_expired']);

const reconnect = (ctx: ExecutionContext, d: CallDeps) =>
  authorizationRequired(ctx, d, {
    reason: 'reconnect',
    scopes: ctx.tool!.tool.scopes,
    account: { ...ctx.account!, status: 'REVOKED' },
  });

/**
 * The upstream request the tool's HTTP mapping makes of the arguments, under the provider's base
 * URL; then the call is also governed as every other catalog tool that makes the same request.
 */
export async function buildUpstreamRequest(
  ctx: ExecutionContext,
  d: CallDeps & GovernedAsDeps,
): Promise<Halt | undefined> {
  const { tool } = ctx.tool!;
  const built = buildRequest(tool, ctx.args!);
  if (!built.ok) return rejection('invalid_arguments', built.error.message, { issues: built.error.issues });
  const api = openApi(ctx, d);
  // A toolkit on another host of the provider's API (checked against api.additionalBaseUrls when
  // the toolkit was loaded) resolves its paths there, with the same containment rules.
  const toolkitBase = ctx.tool!.toolkit.baseUrl;
  const under = (path: string): Result<URL> => {
    if (toolkitBase === undefined) return api.url(path);
    const joined = joinUrl(toolkitBase.replace(/\/+$/, ''), path);
    return joined ? ok(joined) : fail('invalid_path', 'path outside the toolkit base URL');
  };
  const url = under(built.value.path);
  if (!url.ok)
    return url.error.code === 'invalid_path'
      ? rejection('invalid_arguments', 'the arguments produce a path outside the provider API')
      : refusal(url.error);
  const body = encodeBody(built.value);
  ctx.outgoing = { method: tool.http.method, url: url.value, headers: built.value.headers, body };
  const base = under('/');
  const prefix = base.ok ? base.value.pathname.replace(/\/+$/, '') : '';
  await governAsMatchingTools(ctx, d, {
    method: tool.http.method,
    path: url.value.pathname.slice(prefix.length) || '/',
    query: url.value.searchParams,
    body: built.value.body,
  });
  return undefined;
}

/** The upstream call through the account's provider API (timeouts, retries, one refresh on 401). */
export async function invokeUpstream(ctx: ExecutionContext, d: CallDeps): Promise<Halt | undefined> {
  const { tool } = ctx.tool!;
  const api = openApi(ctx, d);
  const result = await api.request(ctx.outgoing!, {
    idempotent: tool.idempotent || ctx.request.idempotencyKey !== undefined,
  });
  ctx.account = api.account ?? ctx.account!;
  if (!result.ok) {
    ctx.attempts = result.error.attempts;
    if (result.error.code === 'account_revoked') return reconnect(ctx, d);
    return refusal({ code: result.error.code, message: result.error.message });
  }
  ctx.upstream = result.value;
  ctx.attempts = result.value.attempts;
  return undefined;
}

/** Output for the agent: the tool's shaping, with every secret scrubbed; upstream errors made clear. */
export function shapeResult(ctx: ExecutionContext): Halt | undefined {
  const res = ctx.upstream!;
  const scrubber = scrubberFor(ctx.secrets);
  const parsed = decodeScrubbed(res, scrubber);
  if (res.status >= 400) {
    const providerName = ctx.auth!.provider.definition.displayName;
    const rateLimited =
      res.status === 429 || ctx.auth!.provider.definition.api.rateLimit.statuses.includes(res.status);
    return refusal({
      code: rateLimited ? 'upstream_rate_limited' : 'upstream_error',
      message: `${providerName} answered ${res.status}${summary(parsed)}`,
      details: {
        status: res.status,
        body: parsed,
        ...(res.headers['retry-after'] ? { retryAfter: res.headers['retry-after'] } : {}),
      },
    });
  }
  const failed = bodyError(ctx.auth!.provider.definition.api.errorBody, parsed);
  if (failed !== undefined)
    return refusal({
      code: 'upstream_error',
      message: `${ctx.auth!.provider.definition.displayName} answered ${res.status} with an error: ${failed}`,
      details: { status: res.status, body: parsed },
    });
  const shaped = shapeOutput(ctx.tool!.tool, parsed, res.headers, ctx.args);
  ctx.result = {
    successful: true,
    data: shaped.data,
    // A `page` cursor comes from the arguments, not the scrubbed body.
    nextCursor: shaped.nextCursor === null ? null : scrubber.string(shaped.nextCursor),
    error: null,
    executionId: ctx.executionId,
  };
  ctx.outputScrubbedBy = scrubber;
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
