/**
 * Removes every known secret value (the account's tokens, the client secret) from anything the
 * broker is about to return or record. Upstreams sometimes echo credentials (debug endpoints,
 * error messages, introspection); the agent must never see them.
 */
export function scrub<T>(value: T, secrets: readonly string[]): T {
  const live = secrets.filter((s) => s.length >= 8);
  if (live.length === 0) return value;
  return walk(value, live) as T;
}

export const REDACTED = '[REDACTED]';

function walk(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrubString(value, secrets);
  if (Array.isArray(value)) return value.map((v) => walk(v, secrets));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[scrubString(k, secrets)] = walk(v, secrets);
    return out;
  }
  return value;
}

export function scrubString(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
  return out;
}
