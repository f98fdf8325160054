import type { OAuth2Definition } from './resolve.js';

/** Reads a dotted path (`authed_user.access_token`, `0.id`) out of a JSON value. */
export function readPath(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

/**
 * Rewrites a provider's token response into standard RFC 6749 shape, driven by the definition's data:
 * nested token paths (Slack), comma or array scopes (GitHub, Linear), missing or odd `token_type`,
 * errors sent with HTTP 200 (Slack `ok:false`). The standard parser (oauth4webapi) then validates it.
 * Returns undefined when the body already is an error response.
 */
export function normalizeTokenResponse(
  body: Record<string, unknown>,
  o: OAuth2Definition,
  grant: 'authorization_code' | 'refresh_token',
  keepIdToken: boolean,
): { status: number; body: Record<string, unknown> } {
  if (typeof body.error === 'string' || body.ok === false) {
    return {
      status: 400,
      body: {
        error: typeof body.error === 'string' ? body.error : 'invalid_request',
        ...(typeof body.error_description === 'string' ? { error_description: body.error_description } : {}),
      },
    };
  }
  const paths = (grant === 'refresh_token' ? o.refreshResponse : undefined) ?? o.tokenResponse;
  const out: Record<string, unknown> = {};
  const access = readPath(body, paths.accessTokenPath);
  if (access !== undefined) out.access_token = access;
  const refresh = readPath(body, paths.refreshTokenPath);
  if (refresh !== undefined) out.refresh_token = refresh;
  const expires = readPath(body, paths.expiresInPath);
  const seconds = typeof expires === 'string' ? Number(expires) : expires;
  if (typeof seconds === 'number' && Number.isFinite(seconds)) out.expires_in = seconds;
  const scope = readPath(body, paths.scopePath);
  const separator = paths.scopeSeparator ?? o.scopeSeparator;
  if (Array.isArray(scope)) out.scope = scope.join(' ');
  else if (typeof scope === 'string')
    out.scope = scope
      .split(separator === ' ' ? /\s+/ : separator)
      .filter(Boolean)
      .join(' ');
  const idToken = readPath(body, paths.idTokenPath);
  if (keepIdToken && typeof idToken === 'string') out.id_token = idToken;
  const type = typeof body.token_type === 'string' ? body.token_type.toLowerCase() : undefined;
  // Slack's user tokens say "user"; what matters to us is that they are sent as bearer tokens.
  out.token_type = type === 'dpop' ? 'dpop' : 'bearer';
  return { status: 200, body: out };
}
