import type { Configuration, JWK, KoaContextWithOIDC } from 'oidc-provider';
import { OIDC_SCOPES, TASKS_SCOPES } from '../scopes.js';
import type { UserDirectory } from '../users.js';
import type { MemoryStore } from './memory-store.js';
import { errors } from './oidc-provider.js';
import { errorPage } from './views.js';

export interface AuthorizationServerSettings {
  /** path the provider is mounted under, e.g. `/oauth` */
  mountPath: string;
  /** the Tasks API's resource indicator (RFC 8707), also the default resource */
  tasksApiAudience: string;
  /** a second resource indicator the Tasks API must refuse tokens for (audience tests) */
  otherAudience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  users: UserDirectory;
  store: MemoryStore;
  signingKey: JWK;
  cookieKeys: string[];
}

const DAY = 24 * 60 * 60;

/** The oidc-provider configuration: every security decision of the sandbox's AS is in this object. */
export function providerConfiguration(s: AuthorizationServerSettings): Configuration {
  const resourceServers = new Map([
    [s.tasksApiAudience, TASKS_SCOPES.join(' ')],
    [s.otherAudience, TASKS_SCOPES.join(' ')],
  ]);

  return {
    adapter: s.store.adapterFactory,
    jwks: { keys: [s.signingKey] },
    cookies: {
      keys: s.cookieKeys,
      // Lax + not Secure: the sandbox runs over plain http on 127.0.0.1.
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    // The sandbox exercises token expiry with 1-2 s lifetimes; no leeway.
    clockTolerance: 0,
    scopes: [...OIDC_SCOPES],
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
    findAccount: (_ctx, sub) => {
      const user = s.users.find(sub);
      if (user === undefined) return undefined;
      return {
        accountId: user.id,
        claims: () => ({ sub: user.id, name: user.name, email: user.email, email_verified: true }),
      };
    },
    clientDefaults: {
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
      id_token_signed_response_alg: 'RS256',
    },
    responseTypes: ['code'],
    // RFC 9700 §2.1.1 / OAuth 2.1: PKCE for every client, confidential ones included. S256 is the
    // only method oidc-provider implements.
    pkce: { required: () => true },
    // A refresh token on every code exchange for clients allowed the grant; no offline_access dance.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // RFC 9700 §4.14.2: rotate on every use, confidential clients too. A consumed token presented
    // again makes oidc-provider revoke the whole grant (reuse detection).
    rotateRefreshToken: true,
    expiresWithSession: () => false,
    ttl: {
      AccessToken: s.accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 600,
      RefreshToken: s.refreshTokenTtlSeconds,
      Session: 14 * DAY,
      // A grant must outlive every refresh token issued under it.
      Grant: Math.max(365 * DAY, s.refreshTokenTtlSeconds * 4),
    },
    interactions: {
      url: (_ctx, interaction) => `${s.mountPath}/interaction/${interaction.uid}`,
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage({ ...out });
    },
    clientBasedCORS: () => true,
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      introspection: { enabled: false },
      // Access tokens are for the Tasks API (RFC 8707 audience), which a userinfo endpoint would
      // refuse; identity comes from the id_token or GET /api/me, as with many SaaS APIs.
      userinfo: { enabled: false },
      revocation: {
        enabled: true,
        // A client may revoke only its own tokens (RFC 7009 §2.1).
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      resourceIndicators: {
        enabled: true,
        // No `resource` requested: the Tasks API. Several granted: the Tasks API if among them.
        defaultResource: (_ctx, _client, oneOf) => {
          if (oneOf === undefined || oneOf.includes(s.tasksApiAudience)) return s.tasksApiAudience;
          return oneOf.length === 1 ? oneOf[0] : oneOf;
        },
        // Without a `resource` parameter at the token endpoint, keep the granted audience (the API).
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: KoaContextWithOIDC, indicator: string) => {
          const scope = resourceServers.get(indicator);
          if (scope === undefined) throw new errors.InvalidTarget();
          return {
            scope,
            audience: indicator,
            accessTokenFormat: 'opaque',
            accessTokenTTL: s.accessTokenTtlSeconds,
          };
        },
      },
    },
  };
}
