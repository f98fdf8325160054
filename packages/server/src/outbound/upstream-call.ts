import type { ProviderDefinition } from '@gatehouse/catalog';
import type { ErrorCode } from '../shared/errors.js';
import { type Failure, fail, ok, type Result } from '../shared/result.js';
import { inSpan, SpanKind, SpanStatusCode, tracingOn } from '../telemetry/tracing.js';
import { BlockedAddressError, hostIsBlockedLiteral } from './address-policy.js';
import { type Outbound, undici } from './client.js';

export interface RetryPolicy {
  /** Per attempt: time to first byte, and between body chunks. */
  timeoutMs: number;
  maxAttempts: number;
  /** Total time the broker may spend waiting (Retry-After, backoff) before giving up. */
  budgetMs: number;
  maxResponseBytes: number;
}

export interface UpstreamCall {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** Safe to repeat: an idempotent method, or a call carrying an idempotency key. */
  idempotent: boolean;
  internal: boolean;
  rateLimit: ProviderDefinition['api']['rateLimit'];
}

export interface UpstreamResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  attempts: number;
}

/** Supplies a new Authorization value after a 401, once; undefined when no refresh is possible. */
export type OnUnauthorized = () => Promise<{ headers: Record<string, string> } | undefined>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * One upstream call with Gatehouse's reliability rules (the generic layer below `ProviderApi`): per-attempt timeouts; a 401 triggers one
 * token refresh and a retry; 429 (and the provider's rate-limit statuses) are retried after
 * Retry-After / reset when that fits the budget — the request was not processed, so even a POST is
 * safe; 5xx, timeouts and network errors are retried only when the call is idempotent, with
 * exponential backoff and full jitter. Redirects are never followed.
 */
export async function callUpstream(
  outbound: Outbound,
  policy: RetryPolicy,
  call: UpstreamCall,
  onUnauthorized?: OnUnauthorized,
): Promise<Result<UpstreamResponse, Failure & { attempts: number }>> {
  if (!call.internal && hostIsBlockedLiteral(call.url)) {
    return {
      ok: false,
      error: {
        ...fail('upstream_blocked', 'the upstream address is private or reserved').error,
        attempts: 0,
      },
    };
  }
  const deadline = Date.now() + policy.budgetMs;
  // A spread, not Object.assign: a header named `__proto__` must stay a header.
  const headers = { ...call.headers };
  let attempts = 0;
  let refreshed = false;
  for (;;) {
    attempts++;
    let response: UpstreamResponse;
    try {
      // The dispatcher's own `request`, not undici's top-level one: that copies these options with a
      // spread, which Node 20 keeps alive through young collections (README, "Call overhead").
      const send = () =>
        outbound.dispatcher(call.internal).request({
          origin: call.url.origin,
          path: call.url.pathname + call.url.search,
          method: call.method as 'GET',
          headers,
          body: call.body ?? null,
          headersTimeout: policy.timeoutMs,
          bodyTimeout: policy.timeoutMs,
        });
      const res = tracingOn() ? await tracedAttempt(call, attempts, send) : await send();
      const body = await readLimited(res.body, policy.maxResponseBytes);
      if (body === undefined)
        return failure(
          'upstream_response_too_large',
          `the upstream answer is larger than ${policy.maxResponseBytes} bytes`,
          attempts,
        );
      response = { status: res.statusCode, headers: flatten(res.headers), body, attempts };
    } catch (err) {
      const kind = classify(err);
      if (kind === 'blocked')
        return failure('upstream_blocked', 'the upstream address is private or reserved', attempts);
      const wait = backoff(attempts);
      if (call.idempotent && attempts < policy.maxAttempts && Date.now() + wait < deadline) {
        await sleep(wait);
        continue;
      }
      return kind === 'timeout'
        ? failure('upstream_timeout', `the upstream did not answer within ${policy.timeoutMs} ms`, attempts)
        : failure('upstream_unreachable', `cannot reach the upstream: ${describe(err)}`, attempts);
    }

    if (response.status === 401 && !refreshed && onUnauthorized) {
      refreshed = true;
      const next = await onUnauthorized();
      if (next) {
        Object.assign(headers, next.headers);
        continue;
      }
      return ok(response);
    }
    const rateLimited = response.status === 429 || call.rateLimit.statuses.includes(response.status);
    const retryable = rateLimited || (response.status >= 500 && call.idempotent);
    if (retryable && attempts < policy.maxAttempts) {
      const hinted =
        rateLimited || response.status === 503 ? waitHint(response.headers, call.rateLimit) : undefined;
      const wait = hinted ?? backoff(attempts);
      if (Date.now() + wait <= deadline) {
        await sleep(wait);
        continue;
      }
    }
    return ok(response);
  }
}

/**
 * One attempt as a client span: method, host and status, never the URL's path or query (a query
 * may carry an API key, a path an identifier the policy keeps private).
 */
function tracedAttempt<R extends { statusCode: number }>(
  call: UpstreamCall,
  attempt: number,
  send: () => Promise<R>,
): Promise<R> {
  const attributes = {
    'http.request.method': call.method,
    'server.address': call.url.hostname,
    'gatehouse.attempt': attempt,
  };
  return inSpan(
    `upstream ${call.method}`,
    attributes,
    async (span) => {
      const res = await send();
      span.setAttribute('http.response.status_code', res.statusCode);
      if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      return res;
    },
    { kind: SpanKind.CLIENT },
  );
}

function failure(
  code: ErrorCode,
  message: string,
  attempts: number,
): { ok: false; error: Failure & { attempts: number } } {
  return { ok: false, error: { code, message, attempts } };
}

/** Exponential backoff with full jitter: random in [0, 100 ms × 2^(attempt-1)], capped at 2 s. */
export function backoff(attempt: number): number {
  return Math.round(Math.random() * Math.min(2_000, 100 * 2 ** (attempt - 1)));
}

/** Milliseconds to wait from Retry-After (seconds or HTTP date) or the provider's reset header. */
export function waitHint(
  headers: Record<string, string>,
  rl: ProviderDefinition['api']['rateLimit'],
): number | undefined {
  const retryAfter = headers[(rl.retryAfterHeader ?? 'retry-after').toLowerCase()];
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const date = Date.parse(retryAfter);
    if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  }
  const reset = rl.resetHeader ? headers[rl.resetHeader.toLowerCase()] : undefined;
  if (reset === undefined || !rl.resetFormat) return undefined;
  const n = Number(reset);
  switch (rl.resetFormat) {
    case 'delta_seconds':
      return Number.isFinite(n) ? n * 1000 : undefined;
    case 'epoch_seconds':
      return Number.isFinite(n) ? Math.max(0, n * 1000 - Date.now()) : undefined;
    case 'epoch_ms':
      return Number.isFinite(n) ? Math.max(0, n - Date.now()) : undefined;
    default: {
      const at = Date.parse(reset);
      return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
    }
  }
}

async function readLimited(
  body: AsyncIterable<Buffer> & { destroy(): void },
  limit: number,
): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function classify(err: unknown): 'timeout' | 'blocked' | 'network' {
  if (
    err instanceof BlockedAddressError ||
    (err as { cause?: unknown })?.cause instanceof BlockedAddressError
  )
    return 'blocked';
  const { errors } = undici();
  if (
    err instanceof errors.HeadersTimeoutError ||
    err instanceof errors.BodyTimeoutError ||
    err instanceof errors.ConnectTimeoutError
  ) {
    return 'timeout';
  }
  return 'network';
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e?.code ?? e?.message ?? 'network error';
}
