import type { TestGatehouse } from '../../support/gatehouse.js';

export interface McpServerView {
  id: string;
  name: string;
  url: string;
  authorizationServer: string;
  toolkits: string[];
  login: Record<string, unknown>;
  allowedOrigins: string[];
}

/** Creates an MCP server profile through the API (dev sign-in unless told otherwise). */
export async function createMcpServer(
  gh: TestGatehouse,
  apiKey: string,
  body: Record<string, unknown> = {},
): Promise<McpServerView> {
  const res = await gh.call('POST', '/v1/mcp/servers', {
    key: apiKey,
    body: { name: 'Acme tools', toolkits: ['acme'], login: { type: 'dev' }, ...body },
  });
  if (res.status !== 201) throw new Error(`MCP server: ${res.status} ${res.text}`);
  return res.body as McpServerView;
}

/** The MCP client's redirect URI: nothing listens there; the browser stops before fetching it. */
export const CLIENT_REDIRECT = 'http://127.0.0.1:1/callback';
