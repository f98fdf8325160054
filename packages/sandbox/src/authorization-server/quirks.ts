/**
 * Deviations from the standard, to impersonate a differently-behaving SaaS (a "custom provider" for
 * Gatehouse). Applied as pre/post-processing around oidc-provider, which itself stays standard.
 */
export interface SandboxQuirks {
  /** `,`: the authorization endpoint accepts `scope=a,b` and token responses list `scope` with commas */
  scopeSeparator?: ' ' | ',';
  /** token responses leave out `expires_in` (the token still expires after its TTL) */
  omitExpiresIn?: boolean;
}

/** The authorization request's `scope` as oidc-provider expects it (space-separated, RFC 6749 §3.3). */
export function standardScopeParam(scope: string, quirks: SandboxQuirks): string {
  if (quirks.scopeSeparator !== ',') return scope;
  return scope
    .split(/[,\s]+/)
    .filter((s) => s.length > 0)
    .join(' ');
}

/** Rewrites a successful token response the way the impersonated provider would send it. */
export function applyTokenResponseQuirks(body: Record<string, unknown>, quirks: SandboxQuirks): void {
  if (quirks.scopeSeparator === ',' && typeof body.scope === 'string') {
    body.scope = body.scope.split(' ').join(',');
  }
  if (quirks.omitExpiresIn === true) delete body.expires_in;
}
