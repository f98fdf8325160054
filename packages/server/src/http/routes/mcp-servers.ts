import { z } from 'zod';
import { serverUrls } from '../../authserver/urls.js';
import { loginInputSchema } from '../../mcp/login-config.js';
import { TOOL_MODES } from '../../mcp/meta-tools.js';
import type { McpServerProfile } from '../../mcp/server-profiles.js';
import type { Runtime } from '../../runtime.js';
import { pageQuerySchema } from '../../store/pagination.js';
import { empty, jsonObject, named, page, timestamp } from '../responses.js';
import { defineRoute, json, noContent, unwrap } from '../route.js';

const loginSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('oidc'),
    issuer: z.string(),
    clientId: z.string(),
    scopes: z.array(z.string()),
    userClaim: z.enum(['sub', 'email', 'preferred_username']),
    hasClientSecret: z.boolean(),
    redirectUri: z.string().meta({ description: 'Register it at the identity provider' }),
  }),
  z.strictObject({
    type: z.literal('handoff'),
    loginUrl: z.string(),
    key: z.enum(['secret', 'jwk']),
    publicJwk: jsonObject.nullable(),
    audience: z.string(),
    returnUrl: z.string(),
  }),
  z.strictObject({ type: z.literal('dev') }),
]);

const mcpServerSchema = named(
  'McpServer',
  z.strictObject({
    id: z.string(),
    name: z.string(),
    url: z.string().meta({ description: 'The MCP endpoint to give MCP clients' }),
    authorizationServer: z.string(),
    toolkits: z.array(z.string()),
    login: loginSchema,
    allowedOrigins: z.array(z.string()),
    toolMode: z.enum(TOOL_MODES),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
  'An MCP server profile: an MCP URL with its own authorization server and toolkits.',
);

const toolkitsSchema = z.array(z.string().min(1).max(100)).min(1).max(50);
const originsSchema = z.array(z.string().min(1).max(300)).max(20);
const idParams = z.strictObject({ id: z.string().min(1).max(64) });

/** A profile as the API shows it: its MCP URL, its authorization server, and what to configure elsewhere. */
export function presentServer(publicUrl: string, s: McpServerProfile) {
  const urls = serverUrls(publicUrl, s.id);
  const login =
    s.login.type === 'oidc'
      ? { ...s.login, redirectUri: urls.oidcCallback }
      : s.login.type === 'handoff'
        ? { ...s.login, audience: urls.issuer, returnUrl: urls.handoffReturn }
        : s.login;
  return {
    id: s.id,
    name: s.name,
    url: urls.resource,
    authorizationServer: urls.issuer,
    toolkits: s.toolkits,
    toolMode: s.toolMode,
    login,
    allowedOrigins: s.allowedOrigins,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
  };
}

/** `/v1/mcp/servers`: a project's MCP server profiles. */
export const mcpServerRoutes = (rt: Runtime) => {
  const present = (s: McpServerProfile) => presentServer(rt.config.publicUrl, s);
  return [
    defineRoute({
      method: 'POST',
      url: '/v1/mcp/servers',
      auth: 'project:admin',
      operationId: 'createMcpServer',
      body: z.strictObject({
        name: z.string().trim().min(1).max(100),
        toolkits: toolkitsSchema,
        toolMode: z.enum(TOOL_MODES).optional(),
        login: loginInputSchema,
        allowedOrigins: originsSchema.optional(),
      }),
      responses: { 201: mcpServerSchema },
      handler: async ({ principal, body }) =>
        json(present(unwrap(await rt.mcp.profiles.create(principal.projectId, body))), 201),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/mcp/servers',
      auth: 'project:admin',
      operationId: 'listMcpServers',
      query: z.strictObject(pageQuerySchema),
      responses: { 200: page(mcpServerSchema) },
      handler: async ({ principal, query }) => {
        const page = await rt.mcp.profiles.list(principal.projectId, query);
        return json({ items: page.items.map(present), nextCursor: page.nextCursor });
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/mcp/servers/:id',
      auth: 'project:admin',
      operationId: 'getMcpServer',
      params: idParams,
      responses: { 200: mcpServerSchema },
      handler: async ({ principal, params }) =>
        json(present(unwrap(await rt.mcp.profiles.get(principal.projectId, params.id)))),
    }),
    defineRoute({
      method: 'PATCH',
      url: '/v1/mcp/servers/:id',
      auth: 'project:admin',
      operationId: 'updateMcpServer',
      params: idParams,
      body: z.strictObject({
        name: z.string().trim().min(1).max(100).optional(),
        toolkits: toolkitsSchema.optional(),
        toolMode: z.enum(TOOL_MODES).optional(),
        login: loginInputSchema.optional(),
        allowedOrigins: originsSchema.optional(),
      }),
      responses: { 200: mcpServerSchema },
      handler: async ({ principal, params, body }) =>
        json(present(unwrap(await rt.mcp.profiles.update(principal.projectId, params.id, body)))),
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/mcp/servers/:id',
      auth: 'project:admin',
      operationId: 'deleteMcpServer',
      params: idParams,
      responses: { 204: empty() },
      handler: async ({ principal, params }) => {
        unwrap(await rt.mcp.profiles.delete(principal.projectId, params.id));
        return noContent();
      },
    }),
  ];
};

const clientSchema = named(
  'McpRegisteredClient',
  z.strictObject({
    clientId: z.string(),
    name: z.string().nullable(),
    redirectUris: z.array(z.string()),
    tokenEndpointAuthMethod: z.string(),
    activeGrants: z.number().int().meta({ description: 'Grants of this client not revoked, all users' }),
    createdAt: timestamp,
  }),
  'A client registered (RFC 7591) at a server profile’s authorization server. Never its secret.',
);

const consentSchema = named(
  'McpConsent',
  z.strictObject({
    userId: z.string(),
    clientId: z.string(),
    clientName: z.string().nullable(),
    scopes: z.array(z.string()),
    activeGrants: z.number().int().meta({ description: 'Grants (token families) not revoked' }),
    createdAt: timestamp,
    updatedAt: timestamp,
  }),
  'What one user approved for one MCP client.',
);

const userIdSchema = z.string().min(1).max(256);
const clientIdSchema = z.string().min(1).max(2000);

/** `/v1/mcp/servers/:id/clients|consents`: who registered, who consented, and taking access back. */
export const mcpGrantRoutes = (rt: Runtime) => {
  const profile = async (projectId: string, id: string) => unwrap(await rt.mcp.profiles.get(projectId, id));
  const admin = () => rt.mcp.authServer.grantAdmin;
  return [
    defineRoute({
      method: 'GET',
      url: '/v1/mcp/servers/:id/clients',
      auth: 'project:admin',
      operationId: 'listMcpClients',
      params: idParams,
      responses: { 200: z.strictObject({ items: z.array(clientSchema) }) },
      handler: async ({ principal, params }) => {
        const server = await profile(principal.projectId, params.id);
        return json({ items: await admin().clients(principal.projectId, server.id) });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/mcp/servers/:id/clients/:clientId',
      auth: 'project:admin',
      operationId: 'revokeMcpClient',
      summary: 'Deletes a registered client, its consents, and revokes every grant it holds',
      params: z.strictObject({ id: idParams.shape.id, clientId: z.string().min(1).max(64) }),
      responses: { 204: empty() },
      handler: async ({ principal, params }) =>
        rt.db.atomically(async () => {
          const server = await profile(principal.projectId, params.id);
          const done = unwrap(await admin().revokeClient(principal.projectId, server.id, params.clientId));
          await rt.audit.admin(principal, 'admin.mcp_client.revoked', {
            serverId: server.id,
            clientId: params.clientId,
            ...done,
          });
          return noContent();
        }),
    }),
    defineRoute({
      method: 'GET',
      url: '/v1/mcp/servers/:id/consents',
      auth: 'project:admin',
      operationId: 'listMcpConsents',
      params: idParams,
      query: z.strictObject({ userId: userIdSchema.optional() }),
      responses: { 200: z.strictObject({ items: z.array(consentSchema) }) },
      handler: async ({ principal, params, query }) => {
        const server = await profile(principal.projectId, params.id);
        return json({
          items: await admin().consents(principal.projectId, server.id, { userId: query.userId }),
        });
      },
    }),
    defineRoute({
      method: 'DELETE',
      url: '/v1/mcp/servers/:id/consents',
      auth: 'project:admin',
      operationId: 'revokeMcpConsent',
      summary: "Forgets a user's consent to a client and revokes the grants it led to",
      params: idParams,
      query: z.strictObject({ userId: userIdSchema, clientId: clientIdSchema }),
      responses: { 204: empty() },
      handler: async ({ principal, params, query }) =>
        rt.db.atomically(async () => {
          const server = await profile(principal.projectId, params.id);
          const done = unwrap(
            await admin().revokeConsent(principal.projectId, server.id, query.userId, query.clientId),
          );
          await rt.audit.admin(principal, 'admin.mcp_consent.revoked', {
            serverId: server.id,
            userId: query.userId,
            clientId: query.clientId,
            ...done,
          });
          return noContent();
        }),
    }),
  ];
};
