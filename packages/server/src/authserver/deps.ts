import type { McpServerProfile, McpServerProfiles } from '../mcp/server-profiles.js';
import type { ErrorCode } from '../shared/errors.js';
import type { Failure } from '../shared/result.js';
import type { Db } from '../store/db.js';
import type { Logger } from '../telemetry/logger.js';
import type { Vault } from '../vault/vault.js';
import type { AccessTokens } from './access-tokens.js';
import type { AuthorizationRequests } from './authorization-requests.js';
import type { Clients } from './clients/registry.js';
import type { Consents } from './consents.js';
import type { Grants } from './grants.js';
import type { LoginAttempts } from './login/attempts.js';
import type { OidcLogin } from './login/oidc.js';
import type { LoginSessions } from './login/sessions.js';
import { type ServerUrls, serverUrls } from './urls.js';

/** Everything the authorization server's endpoints share, passed in explicitly. */
export interface AuthServerDeps {
  db: Db;
  log: Logger;
  vault: Vault;
  publicUrl: string;
  profiles: McpServerProfiles;
  clients: Clients;
  requests: AuthorizationRequests;
  consents: Consents;
  grants: Grants;
  accessTokens: AccessTokens;
  sessions: LoginSessions;
  attempts: LoginAttempts;
  oidc: OidcLogin;
}

export const urlsOf = (d: { publicUrl: string }, server: McpServerProfile): ServerUrls =>
  serverUrls(d.publicUrl, server.id);

/**
 * An OAuth error as the protocol names it (RFC 6749 §5.2, RFC 7591 §3.2.2, RFC 8707 §2): `code` is
 * the protocol's `error`, `message` its `error_description`.
 */
export type OAuthFailure = Failure & { status: number; retryAfterSeconds?: number };

export const oauthError = (
  code: ErrorCode,
  message: string,
  status = 400,
): { ok: false; error: OAuthFailure } => ({
  ok: false,
  error: { code, message, status },
});

/** Appends parameters to a client's redirect URI, keeping its own query (RFC 6749 §3.1.2). */
export function redirectTo(uri: string, params: Record<string, string | null | undefined>): string {
  const url = new URL(uri);
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}
