import { z } from 'zod';
import type { AuthorizeStep } from '../../authserver/authorization-endpoint.js';
import { authErrorPage, consentPage, formTargetOf, frameFor } from '../../authserver/pages.js';
import { serverUrls } from '../../authserver/urls.js';
import type { McpServerProfile } from '../../mcp/server-profiles.js';
import type { Runtime } from '../../runtime.js';
import { named, oauthErrorSchema, pageResponses } from '../responses.js';
import { defineRoute, type HttpResponse } from '../route.js';
import {
  browserOf,
  html,
  oauthFailure,
  oauthJson,
  profileFor,
  redirect,
  singleParams,
  unknownServerPage,
} from './authserver-http.js';
import { serverParams } from './mcp-metadata.js';

// RFC 6749 §5.1.
const tokenResponseSchema = named(
  'OAuthTokenResponse',
  z.looseObject({
    access_token: z.string(),
    token_type: z.string(),
    expires_in: z.number().int().optional(),
    refresh_token: z.string().optional(),
    scope: z.string().optional(),
  }),
);
// RFC 7591 §3.2.1: the registered client's metadata.
const clientRegistrationSchema = named('OAuthClientRegistration', z.looseObject({ client_id: z.string() }));

/** The token and revocation endpoints: client authentication in, OAuth JSON (RFC 6749 §5.2 errors) out. */
async function backChannel<T>(
  rt: Runtime,
  serverId: string,
  request: { body: unknown; headers: { authorization?: string | undefined } },
  run: (
    server: McpServerProfile,
    form: ReturnType<typeof formOf>,
    authorization: string | undefined,
  ) => Promise<{ ok: true; value: T } | { ok: false; error: Parameters<typeof oauthFailure>[0] }>,
): Promise<HttpResponse> {
  const server = await profileFor(rt, serverId);
  if (!server) return oauthJson(404, { error: 'invalid_request', error_description: 'unknown server' });
  const authorization = request.headers.authorization;
  const result = await run(server, formOf(request.body), authorization);
  if (!result.ok) return oauthFailure(result.error);
  return oauthJson(200, result.value);
}

function render(server: McpServerProfile, step: AuthorizeStep): HttpResponse {
  const frame = frameFor(server.name);
  if (step.kind === 'redirect') return redirect(step.location);
  if (step.kind === 'error_page') return html(400, authErrorPage(frame, step));
  const page = consentPage(frame, {
    client: step.client,
    redirectUri: step.request.redirectUri,
    userId: step.userId,
    scopes: step.request.scopes,
    requestId: step.request.id,
    csrf: step.csrf,
    action: `/as/${server.id}/consent`,
  });
  // The form's answer is a redirect to the client: CSP form-action must allow where it goes.
  return html(200, page, [formTargetOf(step.request.redirectUri)]);
}

const formOf = (body: unknown): Record<string, string | undefined> => {
  const out: Record<string, string | undefined> = {};
  if (body && typeof body === 'object')
    for (const [k, v] of Object.entries(body as Record<string, unknown>))
      if (typeof v === 'string') out[k] = v;
  return out;
};

/** The OAuth 2.1 endpoints of each MCP server profile's authorization server (`/as/{serverId}/…`). */
export const authServerOAuthRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/as/:serverId/authorize',
    auth: 'none',
    operationId: 'oauthAuthorize',
    params: serverParams,
    responses: pageResponses([400, 404]),
    handler: async ({ params, request, reply }) => {
      const server = await profileFor(rt, params.serverId);
      if (!server) return unknownServerPage();
      const query = singleParams(request.query);
      if (!query)
        return html(
          400,
          authErrorPage(frameFor(server.name), {
            error: 'invalid_request',
            description: 'a parameter was repeated',
          }),
        );
      const step = await rt.mcp.authServer.authorization.authorize(
        server,
        query,
        browserOf(rt, request, reply),
      );
      return render(server, step);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/as/:serverId/authorize/continue',
    auth: 'none',
    operationId: 'oauthAuthorizeContinue',
    params: serverParams,
    responses: pageResponses([400, 404]),
    handler: async ({ params, request, reply }) => {
      const server = await profileFor(rt, params.serverId);
      if (!server) return unknownServerPage();
      const id = singleParams(request.query)?.request ?? '';
      return render(
        server,
        await rt.mcp.authServer.authorization.resume(server, id, browserOf(rt, request, reply)),
      );
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/as/:serverId/consent',
    auth: 'none',
    operationId: 'oauthConsent',
    params: serverParams,
    responses: pageResponses([400, 404]),
    handler: async ({ params, request, reply }) => {
      const server = await profileFor(rt, params.serverId);
      if (!server) return unknownServerPage();
      const form = formOf(request.body);
      const step = await rt.mcp.authServer.authorization.decide(
        server,
        { requestId: form.request ?? '', csrf: form.csrf ?? '', decision: form.decision ?? '' },
        browserOf(rt, request, reply),
      );
      return render(server, step);
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/as/:serverId/token',
    auth: 'none',
    operationId: 'oauthToken',
    errorFormat: 'oauth',
    params: serverParams,
    responses: {
      200: tokenResponseSchema,
      400: oauthErrorSchema,
      401: oauthErrorSchema,
      404: oauthErrorSchema,
      429: oauthErrorSchema,
    },
    handler: ({ params, request }) =>
      backChannel(rt, params.serverId, request, (server, form, authorization) =>
        rt.mcp.authServer.tokens.token(server, form, authorization),
      ),
  }),
  defineRoute({
    method: 'POST',
    url: '/as/:serverId/revoke',
    auth: 'none',
    operationId: 'oauthRevoke',
    errorFormat: 'oauth',
    params: serverParams,
    responses: {
      200: z.strictObject({}),
      400: oauthErrorSchema,
      401: oauthErrorSchema,
      404: oauthErrorSchema,
      429: oauthErrorSchema,
    },
    handler: ({ params, request }) =>
      backChannel(rt, params.serverId, request, async (server, form, authorization) => {
        const result = await rt.mcp.authServer.tokens.revoke(server, form, authorization);
        return result.ok ? { ok: true as const, value: {} } : result;
      }),
  }),
  defineRoute({
    method: 'POST',
    url: '/as/:serverId/register',
    auth: 'none',
    operationId: 'oauthRegisterClient',
    errorFormat: 'oauth',
    params: serverParams,
    responses: {
      201: clientRegistrationSchema,
      400: oauthErrorSchema,
      404: oauthErrorSchema,
      429: oauthErrorSchema,
    },
    handler: async ({ params, request }) => {
      const server = await profileFor(rt, params.serverId);
      if (!server) return oauthJson(404, { error: 'invalid_request', error_description: 'unknown server' });
      const result = await rt.mcp.authServer.register(server, request.body, request.ip);
      if (!result.ok) return oauthFailure(result.error);
      return oauthJson(201, result.value, {
        location: `${serverUrls(rt.config.publicUrl, server.id).register}`,
      });
    },
  }),
];
