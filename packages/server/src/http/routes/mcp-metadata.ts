import { z } from 'zod';
import { authorizationServerMetadata, protectedResourceMetadata } from '../../authserver/metadata.js';
import { serverUrls } from '../../authserver/urls.js';
import type { Runtime } from '../../runtime.js';
import { empty, named, oauthErrorSchema } from '../responses.js';
import { defineRoute } from '../route.js';
import { oauthJson, preflight, profileFor } from './authserver-http.js';

// RFC 9728 §3.2.
const protectedResourceMetadataSchema = named(
  'OAuthProtectedResourceMetadata',
  z.looseObject({ resource: z.string(), authorization_servers: z.array(z.string()) }),
);
// RFC 8414 §2.
const authorizationServerMetadataSchema = named(
  'OAuthAuthorizationServerMetadata',
  z.looseObject({
    issuer: z.string(),
    authorization_endpoint: z.string(),
    token_endpoint: z.string(),
    response_types_supported: z.array(z.string()),
  }),
);

export const serverParams = z.strictObject({ serverId: z.string().min(1).max(64) });

const notFound = () =>
  oauthJson(404, { error: 'not_found', error_description: 'There is no such MCP server.' });

/**
 * Discovery: RFC 9728 protected resource metadata (path-aware, the resource being `/mcp/{id}`) and
 * RFC 8414 authorization server metadata (path-inserted for the issuer `/as/{id}`, and the
 * issuer-appended form some clients try).
 */
export const mcpMetadataRoutes = (rt: Runtime) => {
  const asMetadata = async (serverId: string) => {
    const server = await profileFor(rt, serverId);
    return server
      ? oauthJson(200, authorizationServerMetadata(serverUrls(rt.config.publicUrl, server.id)))
      : notFound();
  };
  return [
    defineRoute({
      method: 'GET',
      url: '/.well-known/oauth-protected-resource/mcp/:serverId',
      auth: 'none',
      operationId: 'getProtectedResourceMetadata',
      params: serverParams,
      responses: { 200: protectedResourceMetadataSchema, 404: oauthErrorSchema },
      handler: async ({ params }) => {
        const server = await profileFor(rt, params.serverId);
        if (!server) return notFound();
        return oauthJson(200, protectedResourceMetadata(serverUrls(rt.config.publicUrl, server.id), server));
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/.well-known/oauth-protected-resource',
      auth: 'none',
      operationId: 'getRootProtectedResourceMetadata',
      // Each MCP server profile is its own resource with its own authorization server, so the host
      // root describes none of them; clients are pointed at the path-aware document by the 401.
      responses: { 404: oauthErrorSchema },
      handler: async () =>
        oauthJson(404, {
          error: 'not_found',
          error_description:
            'Each MCP server has its own metadata at /.well-known/oauth-protected-resource/mcp/{serverId}; its 401 names it in WWW-Authenticate.',
        }),
    }),
    defineRoute({
      method: 'GET',
      url: '/.well-known/oauth-authorization-server/as/:serverId',
      auth: 'none',
      operationId: 'getAuthorizationServerMetadata',
      params: serverParams,
      responses: { 200: authorizationServerMetadataSchema, 404: oauthErrorSchema },
      handler: async ({ params }) => asMetadata(params.serverId),
    }),
    defineRoute({
      method: 'GET',
      url: '/as/:serverId/.well-known/oauth-authorization-server',
      auth: 'none',
      operationId: 'getAuthorizationServerMetadataAppended',
      params: serverParams,
      responses: { 200: authorizationServerMetadataSchema, 404: oauthErrorSchema },
      handler: async ({ params }) => asMetadata(params.serverId),
    }),
    ...['/.well-known/*', '/as/*'].map((url) =>
      defineRoute({
        method: 'OPTIONS',
        url,
        auth: 'none',
        responses: { 204: empty('CORS preflight') },
        handler: async () => preflight(),
      }),
    ),
  ];
};
