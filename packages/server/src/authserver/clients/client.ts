/** An MCP client as the authorization server knows it, registered (RFC 7591) or by metadata document. */
export interface OAuthClientRecord {
  clientId: string;
  kind: 'registered' | 'metadata_document';
  /** Self-asserted by the client: shown with its redirect host, never trusted alone. */
  name: string | null;
  redirectUris: string[];
  tokenEndpointAuthMethod: AuthMethod;
  grantTypes: string[];
  clientUri: string | null;
  logoUri: string | null;
  scope: string | null;
  /** SHA-256 of the client secret, for confidential registered clients. */
  secretHash: string | null;
}

export const AUTH_METHODS = ['none', 'client_secret_basic', 'client_secret_post'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const FORBIDDEN_SCHEMES = new Set([
  'javascript:',
  'data:',
  'file:',
  'vbscript:',
  'blob:',
  'about:',
  'ftp:',
  'ws:',
  'wss:',
]);

/**
 * Redirect URIs a client may register (OAuth 2.1 §2.3.1, RFC 8252 §7, MCP authorization): https;
 * http only on a loopback host; private-use schemes in reverse-domain form (`com.example.app:`)
 * for native apps. Never a fragment or credentials.
 */
export function redirectUriProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${value} is not an absolute URI`;
  }
  if (url.hash || value.includes('#')) return `${value} must not contain a fragment`;
  if (url.username || url.password) return `${value} must not contain credentials`;
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:')
    return LOOPBACK.has(url.hostname) ? undefined : `${value}: http is allowed only for loopback hosts`;
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `${value}: scheme ${url.protocol} is not allowed`;
  return url.protocol.slice(0, -1).includes('.')
    ? undefined
    : `${value}: a private-use scheme must be in reverse-domain form (com.example.app:/callback)`;
}

// RFC 8252 §7.3: loopback IP literals, the only hosts whose port a redirect may vary. `localhost` is
// left out on purpose (RFC 8252 §8.3: NOT RECOMMENDED, it may resolve elsewhere) and matched exactly.
const LOOPBACK_IP_REDIRECT = /^http:\/\/(127\.0\.0\.1|\[::1\])(?::\d{1,5})?(?=[/?]|$)/;
const withoutLoopbackPort = (uri: string): string | undefined => {
  const m = LOOPBACK_IP_REDIRECT.exec(uri);
  return m ? `http://${m[1]}${uri.slice(m[0].length)}` : undefined;
};

/**
 * A presented redirect URI matches a registered one by exact string comparison (OAuth 2.1 §4.1.1),
 * except that a loopback IP redirect may name any port (RFC 8252 §7.3, OAuth 2.1 §8.4.2): native
 * clients take an ephemeral port at the time of the request.
 */
export function redirectUriMatches(registered: string, presented: string): boolean {
  if (registered === presented) return true;
  const a = withoutLoopbackPort(registered);
  return a !== undefined && a === withoutLoopbackPort(presented);
}
