import { z } from 'zod';
import { type McpUserSession, USER_SESSION_TTL } from '../../mcp/user-sessions.js';
import type { Runtime } from '../../runtime.js';
import { pageQuerySchema } from '../../store/pagination.js';
import { empty, named, page, timestamp } from '../responses.js';
import { defineRoute, json, noContent, unwrap } from '../route.js';
import { userIdSchema } from './connect-links.js';

const mcpSessionSchema = named(
  'McpSession',
  z.strictObject({
    id: z.string(),
    userId: z.string(),
    serverId: z.string().nullable(),
    toolkits: z.array(z.string()).nullable(),
    agentId: z.string().nullable(),
    url: z.string(),
    expiresAt: timestamp,
    revokedAt: timestamp.nullable(),
    createdAt: timestamp,
  }),
  'A per-user MCP URL, for MCP clients that cannot do OAuth.',
);

/** A per-user MCP URL as the API shows it; the credential appears only in the creation response. */
export const presentSession = (publicUrl: string, s: McpUserSession) => ({
  id: s.id,
  userId: s.userId,
  serverId: s.serverId,
  toolkits: s.toolkits,
  agentId: s.agentId,
  url: `${publicUrl}/mcp/u/${s.id}`,
  expiresAt: s.expiresAt,
  revokedAt: s.revokedAt,
  createdAt: s.createdAt,
});

/** `/v1/mcp/sessions`: per-user MCP URLs for clients that cannot do OAuth. */
export const mcpSessionRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'POST',
    url: '/v1/mcp/sessions',
    auth: 'project:runtime',
    operationId: 'createMcpSession',
    body: z.strictObject({
      userId: userIdSchema,
      serverId: z.string().min(1).max(64).optional(),
      toolkits: z.array(z.string().min(1).max(100)).min(1).max(50).optional(),
      expiresIn: z.number().int().min(60).max(USER_SESSION_TTL.maxSeconds).optional(),
    }),
    responses: {
      201: mcpSessionSchema.extend({ credential: z.string().meta({ description: 'Shown once' }) }),
    },
    handler: async ({ principal, body }) => {
      const { session, credential } = unwrap(
        await rt.mcp.userSessions.create(principal.projectId, {
          userId: body.userId,
          serverId: body.serverId,
          toolkits: body.toolkits,
          expiresInSeconds: body.expiresIn,
          // An agent key's URL acts as its agent, so the agent cannot shed its rules by going through MCP.
          agentId: principal.agentId,
        }),
      );
      return json({ ...presentSession(rt.config.publicUrl, session), credential }, 201);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/mcp/sessions',
    auth: 'project:runtime',
    operationId: 'listMcpSessions',
    query: z.strictObject({ ...pageQuerySchema, userId: userIdSchema.optional() }),
    responses: { 200: page(mcpSessionSchema) },
    handler: async ({ principal, query }) => {
      const page = await rt.mcp.userSessions.list(principal.projectId, { userId: query.userId }, query);
      return json({
        items: page.items.map((s) => presentSession(rt.config.publicUrl, s)),
        nextCursor: page.nextCursor,
      });
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/v1/mcp/sessions/:id',
    auth: 'project:runtime',
    operationId: 'revokeMcpSession',
    params: z.strictObject({ id: z.string().min(1).max(64) }),
    responses: { 204: empty() },
    handler: async ({ principal, params }) => {
      unwrap(await rt.mcp.userSessions.revoke(principal.projectId, params.id));
      return noContent();
    },
  }),
];
