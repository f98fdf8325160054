import type {
  McpServer,
  McpServerInput,
  McpSession,
  McpSessionInput,
  McpSessionWithCredential,
} from './admin-types.js';
import type { HttpClient } from './http.js';
import { paginate, seg } from './pagination.js';
import type { Page } from './types.js';

type PageQuery = { cursor?: string; limit?: number };

/** `gatehouse.mcp`: MCP server profiles (admin key) and per-user MCP URLs. */
export function mcpApi(http: HttpClient) {
  const listServers = (q: PageQuery = {}) =>
    http.request<Page<McpServer>>('GET', '/v1/mcp/servers', { query: q });
  const listSessions = (q: PageQuery & { userId?: string } = {}) =>
    http.request<Page<McpSession>>('GET', '/v1/mcp/sessions', { query: q });
  return {
    servers: {
      /** A named MCP endpoint (`url`) exposing these toolkits to users who sign in as `login` says. */
      create: (input: McpServerInput) => http.request<McpServer>('POST', '/v1/mcp/servers', { body: input }),
      list: listServers,
      iterate: (q: Omit<PageQuery, 'cursor'> = {}) => paginate(listServers, q),
      get: (id: string) => http.request<McpServer>('GET', `/v1/mcp/servers/${seg(id)}`),
      update: (id: string, patch: Partial<McpServerInput>) =>
        http.request<McpServer>('PATCH', `/v1/mcp/servers/${seg(id)}`, { body: patch }),
      delete: (id: string) => http.request<void>('DELETE', `/v1/mcp/servers/${seg(id)}`),
    },
    sessions: {
      /** A per-user MCP URL and its bearer `credential` (shown this once), for clients without OAuth. */
      create: (input: McpSessionInput) =>
        http.request<McpSessionWithCredential>('POST', '/v1/mcp/sessions', { body: input }),
      list: listSessions,
      iterate: (q: { userId?: string; limit?: number } = {}) => paginate(listSessions, q),
      revoke: (id: string) => http.request<void>('DELETE', `/v1/mcp/sessions/${seg(id)}`),
    },
  };
}
