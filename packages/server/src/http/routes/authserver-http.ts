import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OAuthFailure } from '../../authserver/deps.js';
import { BROWSER_COOKIE_VALUE, browserCookieName, browserHash } from '../../authserver/login/sessions.js';
import { authErrorPage, frameFor } from '../../authserver/pages.js';
import { SERVER_ID } from '../../authserver/urls.js';
import { pageCsp } from '../../connect/pages.js';
import type { McpServerProfile } from '../../mcp/server-profiles.js';
import type { Runtime } from '../../runtime.js';
import { randomToken } from '../../shared/ids.js';
import type { HttpResponse } from '../route.js';

/** HTML for the authorization server's pages: no scripts, never framed, no referrer. */
export const html = (status: number, body: string, formTargets: string[] = []): HttpResponse => ({
  status,
  body,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': pageCsp(formTargets),
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  },
});

export const redirect = (location: string): HttpResponse => ({ status: 303, headers: { location } });

/** OAuth endpoints answer in the protocol's own error format (RFC 6749 §5.2), readable cross-origin. */
export function oauthJson(status: number, body: unknown, extra: Record<string, string> = {}): HttpResponse {
  return {
    status,
    body,
    headers: {
      'content-type': 'application/json',
      pragma: 'no-cache',
      'access-control-allow-origin': '*',
      ...extra,
    },
  };
}

export function oauthFailure(f: OAuthFailure): HttpResponse {
  const extra: Record<string, string> = {};
  // RFC 6749 §5.2: a 401 for client authentication names the HTTP scheme clients authenticate with
  // here, which is Basic (client_secret_basic) whatever the client tried; Bearer is for resources.
  if (f.status === 401) extra['www-authenticate'] = 'Basic realm="gatehouse"';
  if (f.retryAfterSeconds !== undefined) extra['retry-after'] = String(f.retryAfterSeconds);
  return oauthJson(f.status, { error: f.code, error_description: f.message }, extra);
}

export async function profileFor(rt: Runtime, serverId: string): Promise<McpServerProfile | undefined> {
  return SERVER_ID.test(serverId) ? rt.mcp.profiles.getForEndpoint(serverId) : undefined;
}

export const unknownServerPage = (): HttpResponse =>
  html(
    404,
    authErrorPage(frameFor('Gatehouse'), { error: 'not_found', description: 'There is no such MCP server.' }),
  );

/**
 * This browser's identity at the authorization servers (a random cookie; only its hash is stored).
 * Sign-in attempts, authorization requests and login sessions are bound to it.
 */
export function browserOf(rt: Runtime, request: FastifyRequest, reply: FastifyReply): string {
  const name = browserCookieName(rt.config.publicUrl);
  let value = request.cookies[name];
  if (!value || !BROWSER_COOKIE_VALUE.test(value)) {
    value = randomToken(32);
    reply.setCookie(name, value, {
      path: '/',
      httpOnly: true,
      // Lax: the identity provider's and the app's redirects back are top-level GETs, which carry it.
      sameSite: 'lax',
      secure: rt.config.publicUrl.startsWith('https://'),
      maxAge: 24 * 3600,
    });
  }
  return browserHash(value);
}

/** Query parameters as single strings; a repeated parameter makes the request invalid (RFC 6749 §3.1). */
export function singleParams(query: unknown): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries((query ?? {}) as Record<string, unknown>)) {
    if (typeof v !== 'string') return undefined;
    out[k] = v;
  }
  return out;
}

/** CORS preflight for endpoints browser-based MCP clients call (metadata, token, registration). */
export const preflight = (): HttpResponse => ({
  status: 204,
  headers: {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': 'authorization, content-type, mcp-protocol-version',
    'access-control-max-age': '600',
  },
});
