import { createHash, randomBytes } from 'node:crypto';
import { HeadlessBrowser } from './headless-browser.js';
import { CLIENT_REDIRECT, type McpServerView } from './servers.js';

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface Tokens {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  scope: string;
  token_type: string;
}

/** RFC 7591 registration at a profile's authorization server (a public client unless told otherwise). */
export async function registerClient(
  server: McpServerView,
  body: Record<string, unknown> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${server.authorizationServer}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Manual client',
      redirect_uris: [CLIENT_REDIRECT],
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      ...body,
    }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

export function authorizeUrl(server: McpServerView, params: Record<string, string | undefined>): string {
  const url = new URL(`${server.authorizationServer}/authorize`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

export async function tokenRequest(
  server: McpServerView,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${server.authorizationServer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}

/**
 * The whole authorization code flow by hand: register (unless a client is given), authorize in the
 * browser (sign in, consent), exchange the code with the PKCE verifier.
 */
export async function obtainTokens(
  server: McpServerView,
  o: { user: string; clientId?: string; scope?: string; browser?: HeadlessBrowser; resource?: string },
): Promise<{ tokens: Tokens; clientId: string; browser: HeadlessBrowser }> {
  const clientId = o.clientId ?? String((await registerClient(server)).body.client_id);
  const browser = o.browser ?? new HeadlessBrowser();
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('hex');
  const driven = await browser.drive(
    authorizeUrl(server, {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: CLIENT_REDIRECT,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state,
      scope: o.scope,
      resource: o.resource ?? server.url,
    }),
    { stopAt: (u) => u.origin === new URL(CLIENT_REDIRECT).origin, user: o.user },
  );
  if (!('stoppedAt' in driven)) throw new Error(`authorization stopped at ${driven.page.html.slice(0, 300)}`);
  const code = driven.stoppedAt.searchParams.get('code');
  if (!code) throw new Error(`no code: ${driven.stoppedAt}`);
  const res = await tokenRequest(server, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: CLIENT_REDIRECT,
    code_verifier: verifier,
    client_id: clientId,
  });
  if (res.status !== 200) throw new Error(`token: ${res.status} ${JSON.stringify(res.body)}`);
  return { tokens: res.body as unknown as Tokens, clientId, browser };
}

/** A raw JSON-RPC POST to an MCP endpoint, for checking HTTP-level answers. */
export async function mcpPost(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
      ...headers,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export const initializeMessage = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
