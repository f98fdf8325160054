import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { allowsRisk, scopeForRisk } from '../../authserver/scopes.js';
import type { ProjectCatalog } from '../../catalog/tool-catalog.js';
import type { McpPrincipal, McpTarget } from '../../mcp/gate.js';
import { toolFor } from '../../mcp/tool-for.js';
import type { Runtime } from '../../runtime.js';
import { scrubSecrets } from '../../telemetry/logger.js';
import { callLogOf } from '../call-log.js';
import { empty, errorBodySchema, named, type Responses, text } from '../responses.js';
import { defineRoute, type HttpResponse } from '../route.js';
import { spanOf } from '../trace.js';

const EXPOSED = 'mcp-session-id, www-authenticate';
const ALLOWED_HEADERS = 'authorization, content-type, mcp-session-id, mcp-protocol-version, last-event-id';

interface JsonRpcMessage {
  method?: unknown;
  params?: { name?: unknown; protocolVersion?: unknown; capabilities?: unknown; clientInfo?: unknown };
}

const rpcError = (
  status: number,
  message: string,
  headers: Record<string, string> = {},
  code = -32000,
): HttpResponse => ({
  status,
  body: { jsonrpc: '2.0', error: { code, message }, id: null },
  headers: { 'content-type': 'application/json', ...headers },
});

const asObject = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * Origin validation (MCP Streamable HTTP, against DNS rebinding and cross-site use): a request
 * with an Origin must come from Gatehouse itself or an origin the profile allows. Requests without
 * one come from non-browser clients and are judged by their credentials alone.
 */
function corsFor(
  rt: Runtime,
  target: McpTarget,
  origin: string | undefined,
): Record<string, string> | undefined {
  if (origin === undefined) return {};
  const allowed = origin === new URL(rt.config.publicUrl).origin || target.allowedOrigins.includes(origin);
  if (!allowed) return undefined;
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSED, vary: 'Origin' };
}

async function serve(
  rt: Runtime,
  target: McpTarget | undefined,
  request: FastifyRequest,
): Promise<HttpResponse> {
  if (!target) return rpcError(404, 'There is no such MCP endpoint.');
  const cors = corsFor(rt, target, request.headers.origin);
  if (!cors) return rpcError(403, 'Forbidden: this Origin may not call this MCP endpoint.');
  if (request.method === 'OPTIONS')
    return {
      status: 204,
      headers: {
        ...cors,
        'access-control-allow-methods': 'POST, GET, DELETE',
        'access-control-allow-headers': ALLOWED_HEADERS,
      },
    };
  const auth = await target.authenticate(request.headers.authorization);
  if (!auth.ok)
    return rpcError(auth.error.status, auth.error.message, {
      ...cors,
      ...(auth.error.wwwAuthenticate ? { 'www-authenticate': auth.error.wwwAuthenticate } : {}),
    });
  const p = auth.value;
  const binding = { endpoint: p.endpoint, userId: p.userId, clientId: p.clientId };
  const sessionHeader = request.headers['mcp-session-id'];
  const sessionId = typeof sessionHeader === 'string' ? sessionHeader : undefined;
  // Stateless transport: no standalone SSE stream to offer (MCP allows 405 here).
  if (request.method === 'GET')
    return rpcError(405, 'Method not allowed.', { ...cors, allow: 'POST, DELETE' });
  if (request.method === 'DELETE') {
    if (!sessionId) return rpcError(400, 'Mcp-Session-Id header is required.', cors);
    const deleted = await rt.mcp.protocolSessions.delete(p.projectId, sessionId, binding);
    return deleted ? { status: 204, headers: cors } : rpcError(404, 'Session not found.', cors, -32001);
  }

  const messages = (Array.isArray(request.body) ? request.body : [request.body]).map(
    asObject,
  ) as JsonRpcMessage[];
  const stepUp = scopesToAdd(await rt.catalog.forProject(p.projectId), p, messages);
  if (stepUp && target.insufficientScope)
    return rpcError(403, 'This call needs more access.', {
      ...cors,
      'www-authenticate': target.insufficientScope([...new Set([...p.scopes, ...stepUp])]),
    });

  const init = messages.find((m) => m.method === 'initialize');
  let newSession: string | undefined;
  let capabilities: Record<string, unknown> = {};
  if (init) {
    capabilities = asObject(init.params?.capabilities);
    newSession = await rt.mcp.protocolSessions.create(p.projectId, binding, {
      protocolVersion: String(init.params?.protocolVersion ?? ''),
      capabilities,
      clientInfo: asObject(init.params?.clientInfo),
    });
  } else if (sessionId) {
    const known = await rt.mcp.protocolSessions.find(p.projectId, sessionId, binding);
    // MCP: an unknown or expired session is 404, and the client starts a new one.
    if (!known) return rpcError(404, 'Session not found.', cors, -32001);
    capabilities = known.capabilities;
  }
  return runTransport(rt, p, request, {
    headers: { ...cors, ...(newSession ? { 'mcp-session-id': newSession } : {}) },
    urlElicitation: asObject(capabilities.elicitation).url !== undefined,
  });
}

/** Scopes a batch needs beyond the token's (tools/call of a write tool with a read-only token). */
function scopesToAdd(
  catalog: ProjectCatalog,
  p: McpPrincipal,
  messages: JsonRpcMessage[],
): string[] | undefined {
  const missing = new Set<string>();
  for (const m of messages) {
    if (m.method !== 'tools/call' || typeof m.params?.name !== 'string') continue;
    const found = toolFor(catalog, p, m.params.name);
    if (found && !allowsRisk(p.scopes, found.tool.risk)) missing.add(scopeForRisk(found.tool.risk));
  }
  return missing.size > 0 ? [...missing] : undefined;
}

/**
 * The MCP SDK (and the protocol server built on it) is loaded on the first MCP request: a server
 * that is never called over MCP does not hold it (~8 MB, ~0.4 s of start-up).
 */
let protocol:
  | Promise<{
      createProtocolServer: typeof import('../../mcp/protocol-server.js').createProtocolServer;
      Transport: typeof import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js').WebStandardStreamableHTTPServerTransport;
    }>
  | undefined;
const loadProtocol = () =>
  (protocol ??= Promise.all([
    import('../../mcp/protocol-server.js'),
    import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
  ]).then(([server, transport]) => ({
    createProtocolServer: server.createProtocolServer,
    Transport: transport.WebStandardStreamableHTTPServerTransport,
  })));

/** The request as the SDK's web-standard transport reads it: its headers (the body is already parsed). */
function webRequestOf(rt: Runtime, request: FastifyRequest): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  return new Request(new URL(request.url, rt.config.publicUrl), { method: request.method, headers });
}

/**
 * Runs the request through the official SDK's transport (web-standard, JSON answers) and returns its
 * answer for Fastify to send: the route's hooks, headers and response check apply as to any route.
 */
async function runTransport(
  rt: Runtime,
  p: McpPrincipal,
  request: FastifyRequest,
  o: { headers: Record<string, string>; urlElicitation: boolean },
): Promise<HttpResponse> {
  const { createProtocolServer, Transport } = await loadProtocol();
  const server = createProtocolServer(
    p,
    {
      catalog: rt.catalog,
      tools: rt.tools,
      execute: (req) => rt.broker.execute(req),
      connectLinks: rt.connectLinks,
    },
    {
      traceId: request.trace.traceId,
      ...spanOf(request.trace),
      urlElicitation: o.urlElicitation,
      callLog: callLogOf(request),
    },
  );
  const transport = new Transport({ enableJsonResponse: true }); // stateless: no session id generator
  transport.onerror = (err) =>
    rt.log.warn({ err: { message: scrubSecrets(err.message) } }, 'mcp transport error');
  await server.connect(transport);
  try {
    const res = await transport.handleRequest(webRequestOf(rt, request), { parsedBody: request.body });
    const text = await res.text();
    const headers = { ...Object.fromEntries(res.headers), ...o.headers };
    if (res.status === 200) return { status: 200, headers, body: text };
    // Its refusals are JSON-RPC errors (or nothing, for 202), declared as such.
    return { status: res.status, headers, ...(text ? { body: JSON.parse(text) as unknown } : {}) };
  } catch (err) {
    rt.log.error({ err: { message: scrubSecrets((err as Error).message) } }, 'mcp request failed');
    return rpcError(500, 'Internal error', o.headers, -32603);
  } finally {
    await server.close().catch(() => {});
  }
}

// JSON-RPC errors: the endpoint's own, before the MCP transport takes the request, and the transport's.
const rpcErrorSchema = named(
  'JsonRpcError',
  z.strictObject({
    jsonrpc: z.literal('2.0'),
    error: z.strictObject({ code: z.number().int(), message: z.string(), data: z.unknown().optional() }),
    id: z.null(),
  }),
);
// The transport's own answers are declared too: 202 for a POST of notifications or responses only,
// 406 without `Accept: application/json, text/event-stream`, 413, 415 and 500 in JSON-RPC.
const mcpResponses: Responses = {
  200: text('application/json', 'JSON-RPC responses (MCP Streamable HTTP), written by the MCP transport'),
  202: empty('Notifications or responses only: accepted, nothing to answer'),
  204: empty('CORS preflight, or the session was deleted'),
  400: rpcErrorSchema,
  401: rpcErrorSchema,
  403: rpcErrorSchema,
  404: rpcErrorSchema,
  405: rpcErrorSchema,
  406: rpcErrorSchema,
  413: rpcErrorSchema,
  // Gatehouse's own for a body it cannot parse; the transport's (JSON-RPC) for a POST with no JSON type.
  415: z.union([errorBodySchema, rpcErrorSchema]),
  500: rpcErrorSchema,
};

const serverParams = z.strictObject({ serverId: z.string().min(1).max(64) });
const sessionParams = z.strictObject({ sessionId: z.string().min(1).max(64) });
const METHODS = ['POST', 'GET', 'DELETE', 'OPTIONS'] as const;

/** `/mcp/{serverId}` (OAuth) and `/mcp/u/{sessionId}` (per-user URL): Streamable HTTP on the official SDK. */
export const mcpEndpointRoutes = (rt: Runtime) => [
  ...METHODS.map((method) =>
    defineRoute({
      method,
      url: '/mcp/:serverId',
      auth: 'none',
      operationId: `${method.toLowerCase()}McpEndpoint`,
      params: serverParams,
      responses: mcpResponses,
      handler: async ({ params, request }) => serve(rt, await rt.mcp.gate.server(params.serverId), request),
    }),
  ),
  ...METHODS.map((method) =>
    defineRoute({
      method,
      url: '/mcp/u/:sessionId',
      auth: 'none',
      operationId: `${method.toLowerCase()}McpUserEndpoint`,
      params: sessionParams,
      responses: mcpResponses,
      handler: async ({ params, request }) =>
        serve(rt, await rt.mcp.gate.userSession(params.sessionId), request),
    }),
  ),
];
