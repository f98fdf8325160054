import type { McpServerProfile } from '../mcp/server-profiles.js';
import { AUTH_METHODS } from './clients/client.js';
import { SUPPORTED_SCOPES } from './scopes.js';
import type { ServerUrls } from './urls.js';

/** RFC 8414 authorization server metadata. `code_challenge_methods_supported` is always published. */
export function authorizationServerMetadata(urls: ServerUrls) {
  return {
    issuer: urls.issuer,
    authorization_endpoint: urls.authorize,
    token_endpoint: urls.token,
    registration_endpoint: urls.register,
    revocation_endpoint: urls.revoke,
    scopes_supported: SUPPORTED_SCOPES,
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    token_endpoint_auth_methods_supported: AUTH_METHODS,
    revocation_endpoint_auth_methods_supported: AUTH_METHODS,
    code_challenge_methods_supported: ['S256'],
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: true,
  };
}

/** RFC 9728 protected resource metadata for one MCP server profile. */
export function protectedResourceMetadata(urls: ServerUrls, server: McpServerProfile) {
  return {
    resource: urls.resource,
    authorization_servers: [urls.issuer],
    scopes_supported: SUPPORTED_SCOPES,
    bearer_methods_supported: ['header'],
    resource_name: server.name,
  };
}
