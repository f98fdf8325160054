import { secretValues } from '../accounts/credentials.js';
import { apiBaseUrl } from '../providers/resolve.js';
import { newId } from '../shared/ids.js';
import type { Failure } from '../shared/result.js';
import type { BrokerDeps } from './execute.js';
import { decodeBody, joinUrl } from './http-body.js';
import { scrub, scrubberFor } from './scrub.js';
import { authorizeHeader, callUpstream } from './upstream.js';

export interface ProxyRequest {
  projectId: string;
  agentId: string | null;
  traceId: string | null;
  connectedAccountId: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  path: string;
  query?: Record<string, string | string[]> | undefined;
  headers?: Record<string, string> | undefined;
  body?: unknown;
}

export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  bodyEncoding: 'json' | 'text' | 'base64' | 'none';
  executionId: string;
}

// Callers may not set these: the broker owns credentials, routing and framing.
const BLOCKED_REQUEST_HEADERS =
  /^(authorization|cookie|host|content-length|connection|keep-alive|te|trailer|transfer-encoding|upgrade|proxy-.*|forwarded|x-forwarded-.*|x-real-ip)$/i;
const ALWAYS_VISIBLE = [
  'content-type',
  'etag',
  'last-modified',
  'link',
  'retry-after',
  'cache-control',
  'content-language',
];

/**
 * A raw request to the provider's API with the account's token injected. Only the provider's base
 * URL is reachable: the path is relative, cannot climb out of the base, redirects are not followed,
 * and non-internal providers cannot reach private or loopback addresses.
 */
export async function proxy(
  req: ProxyRequest,
  d: BrokerDeps,
): Promise<{ ok: true; value: ProxyResponse } | { ok: false; error: Failure }> {
  const started = performance.now();
  const executionId = newId('exe');
  const secrets: string[] = [];
  let attempts = 0;
  let upstreamStatus: number | null = null;
  let providerId: string | null = null;
  const finish = async <T extends { ok: boolean }>(result: T, error: Failure | null): Promise<T> => {
    const outcome = error ? 'error' : 'success';
    d.metrics.proxyRequests.inc({ provider: providerId ?? 'unknown', outcome });
    await d.audit.record({
      projectId: req.projectId,
      kind: 'proxy.request',
      executionId,
      userId: account?.user_id ?? null,
      agentId: req.agentId,
      toolSlug: null,
      providerId,
      connectedAccountId: account ? account.id : null,
      outcome,
      errorCode: error?.code ?? null,
      upstreamStatus,
      latencyMs: performance.now() - started,
      attempts,
      traceId: req.traceId,
      detail: scrub(
        { method: req.method, path: req.path.split('?')[0], ...(error ? { error } : {}) },
        secrets,
      ),
    });
    return result;
  };
  const failWith = (code: string, message: string) =>
    finish({ ok: false as const, error: { code, message } }, { code, message });

  let account = await d.accounts.get(req.projectId, req.connectedAccountId);
  if (!account) return failWith('not_found', `connected account ${req.connectedAccountId} not found`);
  const loaded = await d.authConfigs.load(req.projectId, account.auth_config_id);
  if (!loaded.ok) return failWith(loaded.error.code, loaded.error.message);
  const { provider, client } = loaded.value;
  providerId = provider.id;
  if (client.clientSecret) secrets.push(client.clientSecret);
  const base = apiBaseUrl(provider, account.connection_config);
  if (!base.ok) return failWith(base.error.code, base.error.message);
  const url = joinUrl(base.value, req.path.startsWith('/') ? req.path : `/${req.path}`);
  if (!url || /^[a-z][a-z0-9+.-]*:/i.test(req.path)) {
    return failWith(
      'invalid_path',
      `path must be relative to the provider API (${base.value}) and stay inside it`,
    );
  }
  for (const [k, v] of Object.entries(req.query ?? {}))
    for (const item of Array.isArray(v) ? v : [v]) url.searchParams.append(k, item);

  const token = await d.tokens.accessToken(account, provider, client);
  if (!token.ok)
    return failWith(
      token.error.code === 'account_revoked' ? 'account_inactive' : token.error.code,
      token.error.message,
    );
  account = token.value.account;
  secrets.push(...secretValues(token.value.credentials));

  const headers: Record<string, string> = {
    accept: 'application/json',
    ...provider.definition.api.defaultHeaders,
  };
  for (const [k, v] of Object.entries(req.headers ?? {}))
    if (!BLOCKED_REQUEST_HEADERS.test(k)) headers[k.toLowerCase()] = v;
  let body: string | undefined;
  if (req.body !== undefined && req.body !== null) {
    body = typeof req.body === 'string' ? req.body : JSON.stringify(req.body);
    if (typeof req.body !== 'string') headers['content-type'] ??= 'application/json';
  }
  const authHeader = provider.definition.api.authHeader;
  Object.assign(headers, authorizeHeader(authHeader, token.value.credentials.accessToken));
  const current = { account };
  const result = await callUpstream(
    d.outbound,
    d.retry,
    {
      url,
      method: req.method,
      headers,
      body,
      idempotent: ['GET', 'HEAD', 'PUT', 'DELETE'].includes(req.method),
      internal: provider.internal,
      rateLimit: provider.definition.api.rateLimit,
    },
    async () => {
      const refreshed = await d.tokens.refresh(current.account, provider, client, 'rejected');
      if (!refreshed.ok) return undefined;
      current.account = refreshed.value.account;
      secrets.push(...secretValues(refreshed.value.credentials));
      return { headers: authorizeHeader(authHeader, refreshed.value.credentials.accessToken) };
    },
  );
  if (!result.ok) {
    attempts = result.error.attempts;
    return failWith(result.error.code, result.error.message);
  }
  const res = result.value;
  attempts = res.attempts;
  upstreamStatus = res.status;
  const visible = new Set([
    ...ALWAYS_VISIBLE,
    ...provider.definition.api.responseHeaderAllowlist.map((h) => h.toLowerCase()),
    ...rateLimitHeaders(provider.definition.api.rateLimit),
  ]);
  const outHeaders: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) if (visible.has(k)) outHeaders[k] = v;
  // A redirect is reported, never followed; its target is shown only when it stays inside the API.
  if (res.headers.location) {
    const target = joinUrl(base.value, safeRelative(res.headers.location, url) ?? '');
    if (target) outHeaders.location = target.toString();
  }
  const { body: outBody, encoding } = encodeBody(res.body, res.headers['content-type'] ?? '', secrets);
  return finish(
    {
      ok: true as const,
      value: {
        status: res.status,
        headers: scrub(outHeaders, secrets),
        body: outBody,
        bodyEncoding: encoding,
        executionId,
      },
    },
    null,
  );
}

function rateLimitHeaders(rl: {
  retryAfterHeader?: string | undefined;
  resetHeader?: string | undefined;
  remainingHeader?: string | undefined;
  limitHeader?: string | undefined;
}): string[] {
  return [rl.retryAfterHeader, rl.resetHeader, rl.remainingHeader, rl.limitHeader]
    .filter((h): h is string => !!h)
    .map((h) => h.toLowerCase());
}

function safeRelative(location: string, from: URL): string | undefined {
  try {
    const target = new URL(location, from);
    return target.origin === from.origin
      ? `${target.pathname}${target.search}`.replace(/^\/+/, '/')
      : undefined;
  } catch {
    return undefined;
  }
}

function encodeBody(
  body: Buffer,
  contentType: string,
  secrets: string[],
): { body: unknown; encoding: ProxyResponse['bodyEncoding'] } {
  if (body.length === 0) return { body: null, encoding: 'none' };
  if (/json|text|xml|x-www-form-urlencoded|javascript/i.test(contentType) || contentType === '') {
    const decoded = decodeBody({ status: 200, headers: { 'content-type': contentType }, body, attempts: 1 });
    return { body: scrub(decoded, secrets), encoding: typeof decoded === 'string' ? 'text' : 'json' };
  }
  // Scrubbed as bytes before encoding: inside base64 a secret need not start on a 3-byte boundary.
  return { body: scrubberFor(secrets).bytes(body).toString('base64'), encoding: 'base64' };
}
