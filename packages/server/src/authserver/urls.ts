/**
 * Where things live for one MCP server profile. The MCP endpoint is the protected resource (its URL
 * is the RFC 8707 resource indicator and the tokens' audience); each profile has its own
 * authorization server (issuer), so clients, consents and tokens stay inside one project.
 */
export interface ServerUrls {
  /** `${publicUrl}/mcp/{serverId}`: the MCP endpoint, resource indicator and token audience. */
  resource: string;
  /** RFC 9728 §3.1: the well-known path inserted before the resource's path. */
  resourceMetadata: string;
  /** `${publicUrl}/as/{serverId}` */
  issuer: string;
  /** RFC 8414 §3.1: the well-known path inserted before the issuer's path. */
  issuerMetadata: string;
  authorize: string;
  token: string;
  register: string;
  revoke: string;
  login: string;
  /** Registered as the redirect URI at the profile's OIDC identity provider. */
  oidcCallback: string;
  /** Where a developer's app sends the browser back with a signed hand-off. */
  handoffReturn: string;
}

export function serverUrls(publicUrl: string, serverId: string): ServerUrls {
  const issuer = `${publicUrl}/as/${serverId}`;
  return {
    resource: `${publicUrl}/mcp/${serverId}`,
    resourceMetadata: `${publicUrl}/.well-known/oauth-protected-resource/mcp/${serverId}`,
    issuer,
    issuerMetadata: `${publicUrl}/.well-known/oauth-authorization-server/as/${serverId}`,
    authorize: `${issuer}/authorize`,
    token: `${issuer}/token`,
    register: `${issuer}/register`,
    revoke: `${issuer}/revoke`,
    login: `${issuer}/login`,
    oidcCallback: `${issuer}/login/oidc/callback`,
    handoffReturn: `${issuer}/login/handoff`,
  };
}

export const SERVER_ID = /^mcs_[0-9a-z]{26}$/;
export const USER_SESSION_ID = /^mcu_[0-9a-z]{26}$/;
