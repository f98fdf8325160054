import { oauth2Of, type ResolvedProvider } from '../providers/resolve.js';

const MAX_JITTER_MS = 60_000;
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 5 * 60_000;

/**
 * When to refresh a token proactively: the provider's lead time before expiry, but never more than
 * half the token's lifetime (a 20 s token is refreshed ~10 s before it expires, not 5 minutes), minus
 * up to a fifth of the lead as jitter so accounts connected together do not refresh together.
 */
export function refreshDueAt(
  provider: ResolvedProvider,
  expiresAt: Date,
  issuedAt: Date | null,
  random: () => number = Math.random,
): Date {
  const expires = expiresAt.getTime();
  const lifetime = issuedAt ? Math.max(0, expires - issuedAt.getTime()) : Number.POSITIVE_INFINITY;
  const lead = Math.min(oauth2Of(provider).refreshLeadTimeSeconds * 1000, lifetime / 2);
  const jitter = random() * Math.min(lead / 5, MAX_JITTER_MS);
  return new Date(expires - lead - jitter);
}

/**
 * When to try again after the `failures`-th consecutive failure: exponential from 1 s up to 5 min with
 * jitter, but while the access token is still valid, soon enough to land before it expires.
 */
export function retryAt(
  failures: number,
  expiresAt: Date | null,
  now = Date.now(),
  random: () => number = Math.random,
): Date {
  const exponential = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
  let delay = exponential * (0.5 + random() / 2);
  const left = expiresAt ? expiresAt.getTime() - now : Number.POSITIVE_INFINITY;
  if (left > 0 && delay > left / 2) delay = Math.max(250, left / 2);
  return new Date(now + delay);
}
