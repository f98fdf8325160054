import type { McpServerProfile } from '../../mcp/server-profiles.js';
import type { OAuthClientRecord } from '../clients/client.js';
import type { Clients } from '../clients/registry.js';
import type { ServerUrls } from '../urls.js';

/** The authorization request's query parameters (RFC 6749 §4.1.1, RFC 7636, RFC 8707, OIDC prompt). */
export interface AuthorizeParams {
  response_type?: string | undefined;
  client_id?: string | undefined;
  redirect_uri?: string | undefined;
  state?: string | undefined;
  scope?: string | undefined;
  code_challenge?: string | undefined;
  code_challenge_method?: string | undefined;
  resource?: string | undefined;
  prompt?: string | undefined;
}

export interface AuthorizeContext {
  readonly server: McpServerProfile;
  readonly urls: ServerUrls;
  readonly params: AuthorizeParams;
  client?: OAuthClientRecord;
  redirectUri?: string;
  scopes?: string[];
  resource?: string;
}

export interface AuthorizeDeps {
  clients: Clients;
}

/**
 * How a check ends the request. Until the client and its redirect URI are trusted, errors are shown
 * to the user and never redirected (RFC 6749 §4.1.2.1: no open redirector); after that they go
 * back to the client with `error`, `state` and `iss`.
 */
export type AuthorizeHalt =
  | { kind: 'show'; error: string; description: string }
  | { kind: 'redirect'; error: string; description: string };

export type AuthorizeStep = (
  ctx: AuthorizeContext,
  d: AuthorizeDeps,
) => AuthorizeHalt | undefined | Promise<AuthorizeHalt | undefined>;

export const show = (error: string, description: string): AuthorizeHalt => ({
  kind: 'show',
  error,
  description,
});
export const back = (error: string, description: string): AuthorizeHalt => ({
  kind: 'redirect',
  error,
  description,
});
