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

/**
 * The request URL as oidc-provider expects it: an authorization request's `scope` space-separated
 * (RFC 6749 §3.3). Applied before the request reaches oidc-provider.
 */
export function standardRequestUrl(url: string, authorizationPath: string, quirks: SandboxQuirks): string {
  if (quirks.scopeSeparator !== ',') return url;
  const parsed = new URL(url, 'http://sandbox.invalid');
  const scope = parsed.searchParams.get('scope');
  if (parsed.pathname !== authorizationPath || scope === null) return url;
  parsed.searchParams.set(
    'scope',
    scope
      .split(/[,\s]+/)
      .filter((s) => s.length > 0)
      .join(' '),
  );
  return parsed.pathname + parsed.search;
}

/** Rewrites a successful token response the way the impersonated provider would send it. */
export function applyTokenResponseQuirks(body: Record<string, unknown>, quirks: SandboxQuirks): void {
  if (quirks.scopeSeparator === ',' && typeof body.scope === 'string') {
    body.scope = body.scope.split(' ').join(',');
  }
  if (quirks.omitExpiresIn === true) delete body.expires_in;
}
