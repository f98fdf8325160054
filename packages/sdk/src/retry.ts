import type { GatehouseApiError } from './errors.js';

export interface RetryOptions {
  /** Further attempts after the first; 0 turns retries off. Default 2. */
  maxRetries?: number;
  /** The first backoff; each retry doubles it, with full jitter. Default 300 ms. */
  baseDelayMs?: number;
  /** The longest wait between attempts, including a server's `Retry-After`. Default 10 s. */
  maxDelayMs?: number;
  /** Called before each wait (logs, metrics, tests). */
  onRetry?: (info: { attempt: number; delayMs: number; error: GatehouseApiError }) => void;
}

/** Statuses after which the same idempotent request may succeed. */
const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

/**
 * Whether a failed idempotent call is worth repeating. Never the caller's own abort; a call with an
 * idempotency key still running elsewhere (`idempotency_in_progress`) is, since it will finish.
 */
export function isRetryable(err: GatehouseApiError): boolean {
  if (err.status === 0) return err.code !== 'aborted';
  if (err.code === 'idempotency_in_progress') return true;
  return RETRYABLE_STATUS.has(err.status);
}

/**
 * The wait before retry `attempt` (1-based): the server's `Retry-After` when it sent one, else
 * exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"), so
 * many clients failing together do not come back together. Undefined: do not retry (the server asked
 * for longer than `maxDelayMs`).
 */
export function retryDelay(
  attempt: number,
  err: GatehouseApiError,
  o: Required<Omit<RetryOptions, 'onRetry'>>,
  random: () => number = Math.random,
): number | undefined {
  if (err.retryAfterMs !== undefined) return err.retryAfterMs <= o.maxDelayMs ? err.retryAfterMs : undefined;
  const ceiling = Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}

/** `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP date, in ms from `now`. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
