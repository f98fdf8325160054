import type { UpstreamResponse } from '../../outbound/upstream-call.js';
import { decodeScrubbed } from '../http-body.js';
import { type Scrubber, scrubberFor } from '../scrub.js';
import { done, type Halt, type ProxyContext, type ProxyResponse, refusal } from '../types.js';

// Callers may not set these: the broker owns credentials, routing and framing; and a method override
// would make a request governed as proxy:POST act as a DELETE upstream.
const BLOCKED_REQUEST_HEADERS =
  /^(authorization|cookie|host|content-length|connection|keep-alive|te|trailer|transfer-encoding|upgrade|proxy-.*|forwarded|x-forwarded-.*|x-real-ip|x-http-method-override|x-http-method|x-method-override)$/i;
const ALWAYS_VISIBLE = [
  'content-type',
  'etag',
  'last-modified',
  'link',
  'retry-after',
  'cache-control',
  'content-language',
];

/** A fresh access token; an account that cannot give one is inactive for the caller. */
export async function acquireProxyToken(ctx: ProxyContext): Promise<Halt | undefined> {
  const token = await ctx.api!.authorize();
  ctx.account = ctx.api!.account ?? ctx.account!;
  if (token.ok) return undefined;
  const code = token.error.code === 'account_revoked' ? 'account_inactive' : token.error.code;
  return refusal({ code, message: token.error.message });
}

/** The request, through the account's provider API (its auth header, retries, one refresh on 401). */
export async function forwardRequest(ctx: ProxyContext): Promise<Halt | undefined> {
  const req = ctx.request;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {}))
    if (!BLOCKED_REQUEST_HEADERS.test(k)) headers[k.toLowerCase()] = v;
  const body =
    req.body === undefined || req.body === null
      ? undefined
      : (ctx.forwardBody ?? (typeof req.body === 'string' ? req.body : JSON.stringify(req.body)));
  const result = await ctx.api!.request(
    { method: req.method, url: ctx.target!, headers, body },
    { idempotent: ctx.tool!.tool.idempotent || req.idempotencyKey !== undefined },
  );
  ctx.account = ctx.api!.account ?? ctx.account!;
  if (!result.ok) {
    ctx.attempts = result.error.attempts;
    const code = result.error.code === 'account_revoked' ? 'account_inactive' : result.error.code;
    return refusal({ code, message: result.error.message });
  }
  ctx.upstream = result.value;
  ctx.attempts = result.value.attempts;
  return undefined;
}

/**
 * The answer for the caller: the upstream status, allow-listed headers (a redirect's target only
 * when it stays inside the API; redirects are never followed), and the body, every secret scrubbed.
 */
export function shapeResponse(ctx: ProxyContext): Halt {
  const res = ctx.upstream!;
  const api = ctx.auth!.provider.definition.api;
  const visible = new Set([
    ...ALWAYS_VISIBLE,
    ...api.responseHeaderAllowlist.map((h) => h.toLowerCase()),
    ...[
      api.rateLimit.retryAfterHeader,
      api.rateLimit.resetHeader,
      api.rateLimit.remainingHeader,
      api.rateLimit.limitHeader,
    ]
      .filter((h): h is string => !!h)
      .map((h) => h.toLowerCase()),
  ]);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (visible.has(k)) headers[k] = v;
  if (res.headers.location) {
    const target = insideApi(ctx, res.headers.location);
    if (target) headers.location = target;
  }
  const scrubber = scrubberFor(ctx.secrets);
  const { body, encoding } = encodeBody(res, scrubber);
  ctx.response = {
    status: res.status,
    headers: scrubber.value(headers),
    body,
    bodyEncoding: encoding,
    executionId: ctx.executionId,
  };
  ctx.outputScrubbedBy = scrubber;
  return done;
}

function insideApi(ctx: ProxyContext, location: string): string | undefined {
  const base = ctx.api!.url('/');
  if (!base.ok) return undefined;
  try {
    const target = new URL(location, ctx.target);
    const prefix = base.value.pathname.replace(/\/+$/, '');
    const inside =
      target.origin === base.value.origin &&
      (target.pathname === prefix || target.pathname.startsWith(`${prefix}/`));
    return inside ? target.toString() : undefined;
  } catch {
    return undefined;
  }
}

function encodeBody(
  res: UpstreamResponse,
  scrubber: Scrubber,
): { body: unknown; encoding: ProxyResponse['bodyEncoding'] } {
  if (res.body.length === 0) return { body: null, encoding: 'none' };
  const contentType = res.headers['content-type'] ?? '';
  if (/json|text|xml|x-www-form-urlencoded|javascript/i.test(contentType) || contentType === '') {
    const decoded = decodeScrubbed(res, scrubber);
    return { body: decoded, encoding: typeof decoded === 'string' ? 'text' : 'json' };
  }
  // Scrubbed as bytes before encoding: inside base64 a secret need not start on a 3-byte boundary.
  return { body: scrubber.bytes(res.body).toString('base64'), encoding: 'base64' };
}
