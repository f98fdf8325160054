import { continuationFor } from '../../authserver/login/login-flow.js';
import { authErrorPage, devLoginPage, formTargetOf, frameFor } from '../../authserver/pages.js';
import type { McpServerProfile } from '../../mcp/server-profiles.js';
import type { Runtime } from '../../runtime.js';
import type { Result } from '../../shared/result.js';
import { pageResponses } from '../responses.js';
import { defineRoute, type HttpResponse } from '../route.js';
import { browserOf, html, profileFor, redirect, singleParams, unknownServerPage } from './authserver-http.js';
import { serverParams } from './mcp-metadata.js';

const failed = (server: McpServerProfile, error: string, description: string, status = 400): HttpResponse =>
  html(status, authErrorPage(frameFor(server.name), { error, description }));

/** A finished sign-in continues where it was asked for (always a path on this server). */
function continued(rt: Runtime, server: McpServerProfile, result: Result<string>): HttpResponse {
  if (!result.ok) return failed(server, result.error.code, result.error.message);
  return redirect(`${rt.config.publicUrl}${result.value}`);
}

/** End-user sign-in at an MCP server profile's authorization server, by the profile's method. */
export const authServerLoginRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/as/:serverId/login',
    auth: 'none',
    operationId: 'mcpLoginPage',
    params: serverParams,
    responses: pageResponses([400, 401, 403, 404, 503]),
    handler: async ({ params, request, reply }) => {
      const server = await profileFor(rt, params.serverId);
      if (!server) return unknownServerPage();
      const query = singleParams(request.query) ?? {};
      const continueTo = continuationFor(server.id, query);
      if (!continueTo)
        return failed(server, 'invalid_request', 'Nothing to sign in for. Start again from your app.');
      const browser = browserOf(rt, request, reply);
      const started = await rt.mcp.authServer.login.start(server, continueTo, browser);
      if (started.kind === 'redirect') return redirect(started.location);
      if (started.kind === 'unavailable') return failed(server, 'login_unavailable', started.message, 503);
      // After the form's POST the redirects may end at the client (consent already given): CSP
      // form-action governs that whole chain, so it names the client's redirect origin too.
      const redirectUri = query.request
        ? await rt.mcp.authServer.authorization.redirectUriOf(server, query.request, browser)
        : undefined;
      return html(
        200,
        devLoginPage(frameFor(server.name), { state: started.state, action: `/as/${server.id}/login/dev` }),
        redirectUri ? [formTargetOf(redirectUri)] : [],
      );
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/as/:serverId/login/dev',
    auth: 'none',
    operationId: 'mcpDevLogin',
    params: serverParams,
    responses: pageResponses([400, 401, 403, 404, 503]),
    handler: async ({ params, request, reply }) => {
      const server = await profileFor(rt, params.serverId);
      if (!server) return unknownServerPage();
      const form = (request.body ?? {}) as Record<string, unknown>;
      const userId = typeof form.userId === 'string' ? form.userId.trim() : '';
      const state = typeof form.state === 'string' ? form.state : '';
      if (userId.length === 0 || userId.length > 256)
        return failed(server, 'invalid_request', 'Type a user id.');
      const done = await rt.mcp.authServer.login.finishDev(
        server,
        state,
        userId,
        browserOf(rt, request, reply),
      );
      return continued(rt, server, done);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/as/:serverId/login/oidc/callback',
    auth: 'none',
    operationId: 'mcpOidcLoginCallback',
    params: serverParams,
    responses: pageResponses([400, 401, 403, 404, 503]),
    handler: async ({ params, request, reply }) => {
      const server = await profileFor(rt, params.serverId);
      if (!server) return unknownServerPage();
      const callback = new URL(request.url, rt.config.publicUrl);
      const done = await rt.mcp.authServer.login.finishOidc(server, callback, browserOf(rt, request, reply));
      return continued(rt, server, done);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/as/:serverId/login/handoff',
    auth: 'none',
    operationId: 'mcpHandoffLogin',
    params: serverParams,
    responses: pageResponses([400, 401, 403, 404, 503]),
    handler: async ({ params, request, reply }) => {
      const server = await profileFor(rt, params.serverId);
      if (!server) return unknownServerPage();
      const assertion = singleParams(request.query)?.assertion;
      if (!assertion || assertion.length > 8000)
        return failed(server, 'invalid_request', 'The hand-off is missing.');
      const done = await rt.mcp.authServer.login.finishHandoff(
        server,
        assertion,
        browserOf(rt, request, reply),
      );
      return continued(rt, server, done);
    },
  }),
];
