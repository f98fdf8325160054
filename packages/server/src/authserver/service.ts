import { createHash } from 'node:crypto';
import type { McpServerProfile, McpServerProfiles } from '../mcp/server-profiles.js';
import type { Outbound } from '../outbound/client.js';
import { ok, type Result } from '../shared/result.js';
import { CommittedCache } from '../store/committed-cache.js';
import type { Db } from '../store/db.js';
import type { GovernanceFeed } from '../store/governance-feed.js';
import type { Logger } from '../telemetry/logger.js';
import type { Vault } from '../vault/vault.js';
import { AccessTokens, type VerifiedAccessToken } from './access-tokens.js';
import { AuthorizationEndpoint } from './authorization-endpoint.js';
import { AuthorizationRequests } from './authorization-requests.js';
import { MetadataDocuments } from './clients/metadata-document.js';
import { ClientRegistrations, registrationSchema } from './clients/registration.js';
import { Clients } from './clients/registry.js';
import { Consents } from './consents.js';
import { type AuthServerDeps, type OAuthFailure, oauthError, urlsOf } from './deps.js';
import { GrantAdmin } from './grant-admin.js';
import { Grants } from './grants.js';
import { LoginAttempts } from './login/attempts.js';
import { LoginFlow } from './login/login-flow.js';
import { OidcLogin } from './login/oidc.js';
import { LoginSessions } from './login/sessions.js';
import { SigningKeys } from './signing-keys.js';
import { TokenEndpoint } from './token-endpoint.js';

export interface AuthServerOptions {
  db: Db;
  log: Logger;
  vault: Vault;
  outbound: Outbound;
  profiles: McpServerProfiles;
  publicUrl: string;
  production: boolean;
  /** Client metadata documents and identity providers may be on loopback/private addresses (development). */
  allowInternal: boolean;
  /** How long a verified access token is trusted without checking its family again (0 = every call). */
  verifiedTokenCacheMs?: number;
  /** Other replicas' revocations, to drop their families' tokens when the notification arrives. */
  governance?: GovernanceFeed;
}

/**
 * Gatehouse as the OAuth 2.1 authorization server of its MCP endpoints: one issuer per MCP server
 * profile (`/as/{serverId}`), audience-bound JWT access tokens, rotating refresh tokens.
 */
export class AuthServer {
  readonly deps: AuthServerDeps;
  readonly authorization: AuthorizationEndpoint;
  readonly tokens: TokenEndpoint;
  readonly login: LoginFlow;
  readonly sessions: LoginSessions;
  /** Operators' review of clients and consents, and revoking them (the console, `/v1/mcp/servers/:id/…`). */
  readonly grantAdmin: GrantAdmin;

  /**
   * Access tokens verified lately, by endpoint and token digest: an MCP client sends the same token
   * on every call, and verifying it costs a signature check and a family read. A revocation on this
   * replica drops its family's entries once committed; another replica's when migration 0031's
   * notification arrives (the cache time is the backstop).
   */
  readonly #verified: CommittedCache<VerifiedAccessToken>;

  constructor(o: AuthServerOptions) {
    const feed = o.governance;
    this.#verified = new CommittedCache(
      o.db,
      o.verifiedTokenCacheMs ?? 0,
      feed && { feed, kinds: ['mcp_family'], drops: (c) => (_k, t) => t.familyId === c.id },
    );
    this.sessions = new LoginSessions(o.db, o.publicUrl);
    this.deps = {
      db: o.db,
      log: o.log,
      vault: o.vault,
      publicUrl: o.publicUrl,
      profiles: o.profiles,
      clients: new Clients(
        new ClientRegistrations(o.db),
        new MetadataDocuments(o.outbound, o.allowInternal),
        o.allowInternal,
      ),
      requests: new AuthorizationRequests(o.db),
      consents: new Consents(o.db),
      grants: new Grants(o.db, (familyId) => this.#verified.dropWhere((_k, t) => t.familyId === familyId)),
      accessTokens: new AccessTokens(new SigningKeys(o.db, o.vault)),
      sessions: this.sessions,
      attempts: new LoginAttempts(o.db),
      oidc: new OidcLogin(o.outbound, o.allowInternal),
    };
    this.authorization = new AuthorizationEndpoint(this.deps);
    this.tokens = new TokenEndpoint(this.deps);
    this.login = new LoginFlow(this.deps, o.production);
    this.grantAdmin = new GrantAdmin(o.db, this.deps.grants);
  }

  /** RFC 7591 §3: registers a client; the response repeats its metadata and, for confidential clients, the secret once. */
  async register(
    server: McpServerProfile,
    body: unknown,
    source: string,
  ): Promise<Result<Record<string, unknown>, OAuthFailure>> {
    const parsed = registrationSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? 'body';
      return field.startsWith('redirect_uris')
        ? oauthError('invalid_redirect_uri', `${field}: ${issue?.message}`)
        : oauthError('invalid_client_metadata', `${field}: ${issue?.message}`);
    }
    const done = await this.deps.clients.registrations.register(
      server.projectId,
      server.id,
      parsed.data,
      source,
    );
    if (!done.ok) {
      const e = done.error;
      if (e.code === 'rate_limited')
        return {
          ok: false,
          error: {
            code: 'rate_limited',
            message: e.message,
            status: 429,
            retryAfterSeconds: Number(e.details?.retryAfterSeconds ?? 600),
          },
        };
      return oauthError(e.code, e.message);
    }
    const { client, secret, issuedAt } = done.value;
    return ok({
      client_id: client.clientId,
      client_id_issued_at: Math.floor(issuedAt.getTime() / 1000),
      ...(secret ? { client_secret: secret, client_secret_expires_at: 0 } : {}),
      redirect_uris: client.redirectUris,
      token_endpoint_auth_method: client.tokenEndpointAuthMethod,
      grant_types: client.grantTypes,
      response_types: ['code'],
      ...(client.name ? { client_name: client.name } : {}),
      ...(client.clientUri ? { client_uri: client.clientUri } : {}),
      ...(client.logoUri ? { logo_uri: client.logoUri } : {}),
      ...(client.scope ? { scope: client.scope } : {}),
    });
  }

  /** A bearer token at `/mcp/{serverId}`: signature, audience, expiry, and a grant that is not revoked. */
  async verifyAccessToken(server: McpServerProfile, token: string): Promise<Result<VerifiedAccessToken>> {
    const key = `${server.id}|${createHash('sha256').update(token).digest('base64url')}`;
    const cached = this.#verified.get(key);
    if (cached && cached.expiresAt.getTime() <= Date.now()) this.#verified.drop(key);
    let refused: Result<VerifiedAccessToken> = {
      ok: false,
      error: { code: 'invalid_token', message: 'the access token was revoked' },
    };
    const value = await this.#verified.read(key, async () => {
      const verified = await this.deps.accessTokens.verify(
        server.projectId,
        urlsOf(this.deps, server),
        token,
      );
      if (!verified.ok) {
        refused = verified;
        return undefined;
      }
      const family = await this.deps.grants.family(server.projectId, verified.value.familyId);
      if (!family || family.revokedAt || family.serverId !== server.id) return undefined;
      return verified.value;
    });
    return value ? ok(value) : refused;
  }
}
