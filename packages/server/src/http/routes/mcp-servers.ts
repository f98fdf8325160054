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
