import type { Provider } from './oidc-provider.js';

export interface MintGrantInput {
  clientId: string;
  userId: string;
  /** default `openid tasks:read tasks:write` */
  scopes?: readonly string[];
}

/** A token response as the token endpoint would give it after a code exchange. */
export interface MintedGrant {
  grantId: string;
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  scope: string;
}

const OIDC = new Set(['openid', 'profile', 'email', 'offline_access']);

/**
 * Test hook: a real Grant, RefreshToken and AccessToken made with oidc-provider's own models, exactly
 * as its authorization_code grant makes them, without the browser round trip (thousands of accounts
 * for load tests). Rotation and reuse detection apply to them like to any other token.
 * @throws when the client or the user does not exist
 */
export async function mintGrant(
  provider: Provider,
  resource: string,
  accessTokenTtlSeconds: number,
  findUser: (id: string) => unknown,
  input: MintGrantInput,
): Promise<MintedGrant> {
  const client = await provider.Client.find(input.clientId);
  if (client === undefined) throw new Error(`unknown client ${input.clientId}`);
  if (findUser(input.userId) === undefined) throw new Error(`unknown user ${input.userId}`);
  const scopes = input.scopes ?? ['openid', 'tasks:read', 'tasks:write'];
  const oidcScopes = scopes.filter((s) => OIDC.has(s));
  const apiScopes = scopes.filter((s) => !OIDC.has(s));

  const grant = new provider.Grant({ accountId: input.userId, clientId: input.clientId });
  if (oidcScopes.length > 0) grant.addOIDCScope(oidcScopes.join(' '));
  if (apiScopes.length > 0) grant.addResourceScope(resource, apiScopes.join(' '));
  const grantId = await grant.save();

  const now = Math.floor(Date.now() / 1000);
  const refreshToken = new provider.RefreshToken({
    accountId: input.userId,
    authTime: now,
    client,
    expiresWithSession: false,
    grantId,
    gty: 'authorization_code',
    iiat: now,
    resource,
    rotations: 0,
    scope: scopes.join(' '),
  });
  const accessToken = new provider.AccessToken({
    accountId: input.userId,
    client,
    expiresWithSession: false,
    grantId,
    gty: 'authorization_code',
    scope: apiScopes.join(' '),
  });
  const info = {
    scope: apiScopes.join(' '),
    audience: resource,
    accessTokenFormat: 'opaque' as const,
    accessTokenTTL: accessTokenTtlSeconds,
  };
  accessToken.resourceServer = new provider.ResourceServer(resource, info);
  const [refreshValue, accessValue] = await Promise.all([refreshToken.save(), accessToken.save()]);
  return {
    grantId,
    accessToken: accessValue,
    refreshToken: refreshValue,
    expiresIn: accessToken.expiration,
    scope: scopes.join(' '),
  };
}
