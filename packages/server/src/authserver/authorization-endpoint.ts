import type { McpServerProfile } from '../mcp/server-profiles.js';
import type { AuthorizationRequest } from './authorization-requests.js';
import { type AuthorizeParams, checkAuthorizationRequest } from './authorize/index.js';
import type { OAuthClientRecord } from './clients/client.js';
import { type AuthServerDeps, redirectTo, urlsOf } from './deps.js';
import { sweepExpired } from './sweep.js';

/** What the browser sees next. The HTTP layer renders pages and redirects; decisions are made here. */
export type AuthorizeStep =
  | { kind: 'error_page'; error: string; description: string }
  | { kind: 'redirect'; location: string }
  | {
      kind: 'consent';
      request: AuthorizationRequest;
      client: OAuthClientRecord;
      userId: string;
      csrf: string;
    };

const PROMPTS = new Set(['none', 'login', 'consent']);

/**
 * The authorization endpoint and what follows it: validate the request, make the user sign in,
 * ask for consent unless this user already approved this very client for these scopes, then
 * send the one-time code back to the client's registered redirect URI.
 */
export class AuthorizationEndpoint {
  constructor(private readonly d: AuthServerDeps) {}

  async authorize(
    server: McpServerProfile,
    params: AuthorizeParams,
    browser: string,
  ): Promise<AuthorizeStep> {
    const urls = urlsOf(this.d, server);
    const ctx = { server, urls, params } as Parameters<typeof checkAuthorizationRequest>[0];
    const halt = await checkAuthorizationRequest(ctx, { clients: this.d.clients });
    if (halt?.kind === 'show')
      return { kind: 'error_page', error: halt.error, description: halt.description };
    const errorBack = (error: string, description: string): AuthorizeStep => ({
      kind: 'redirect',
      location: redirectTo(ctx.redirectUri!, {
        error,
        error_description: description,
        state: params.state,
        iss: urls.issuer,
      }),
    });
    if (halt) return errorBack(halt.error, halt.description);
    const prompts = (params.prompt ?? '').split(' ').filter(Boolean);
    if (prompts.some((p) => !PROMPTS.has(p)) || (prompts.includes('none') && prompts.length > 1))
      return errorBack('invalid_request', 'prompt must be none, login or consent');
    void sweepExpired(this.d.db, server.projectId).catch((err: Error) =>
      this.d.log.warn({ err: { message: err.message } }, 'sweeping expired MCP authorization rows failed'),
    );
    const { request } = await this.d.requests.create(server.projectId, {
      serverId: server.id,
      clientId: ctx.client!.clientId,
      redirectUri: ctx.redirectUri!,
      state: params.state ?? null,
      codeChallenge: params.code_challenge!,
      scopes: ctx.scopes!,
      resource: ctx.resource!,
      prompt: prompts.join(' ') || null,
      browserHash: browser,
    });
    // prompt=login: sign in again even with a session (once; the continuation does not re-ask).
    if (prompts.includes('login')) return { kind: 'redirect', location: loginUrl(urls.login, request.id) };
    return this.proceed(server, request, ctx.client!, browser);
  }

  /** After sign-in: the same request, in the same browser, moves on to consent or a code. */
  async resume(server: McpServerProfile, requestId: string, browser: string): Promise<AuthorizeStep> {
    const request = await this.d.requests.pendingFor(server.projectId, server.id, requestId, browser);
    if (!request) return expired();
    const client = await this.d.clients.find(server.projectId, server.id, request.clientId);
    if (!client.ok) return { kind: 'error_page', error: 'invalid_client', description: client.error.message };
    return this.proceed(server, request, client.value, browser);
  }

  /** Where a pending request will end (for a sign-in form's CSP: the redirects after its POST lead there). */
  async redirectUriOf(
    server: McpServerProfile,
    requestId: string,
    browser: string,
  ): Promise<string | undefined> {
    return (await this.d.requests.pendingFor(server.projectId, server.id, requestId, browser))?.redirectUri;
  }

  /** The consent form's answer. CSRF token, browser binding and the signed-in user are all checked. */
  async decide(
    server: McpServerProfile,
    form: { requestId: string; csrf: string; decision: string },
    browser: string,
  ): Promise<AuthorizeStep> {
    const request = await this.d.requests.pendingFor(server.projectId, server.id, form.requestId, browser);
    if (!request) return expired();
    if (!(await this.d.requests.csrfMatches(server.projectId, server.id, request.id, form.csrf)))
      return {
        kind: 'error_page',
        error: 'invalid_request',
        description: 'This form has expired. Start again from your app.',
      };
    const userId = await this.d.sessions.userFor(server.projectId, server.id, browser);
    if (!userId) return { kind: 'redirect', location: loginUrl(urlsOf(this.d, server).login, request.id) };
    if (form.decision !== 'approve') {
      await this.d.requests.deny(server.projectId, request.id);
      return this.backToClient(server, request, {
        error: 'access_denied',
        error_description: 'the user denied access',
      });
    }
    await this.d.consents.remember(server.projectId, server.id, userId, request.clientId, request.scopes);
    return this.issueCode(server, request, userId);
  }

  private async proceed(
    server: McpServerProfile,
    request: AuthorizationRequest,
    client: OAuthClientRecord,
    browser: string,
  ): Promise<AuthorizeStep> {
    const urls = urlsOf(this.d, server);
    const promptNone = request.prompt === 'none';
    const userId = await this.d.sessions.userFor(server.projectId, server.id, browser);
    if (!userId) {
      if (promptNone) return this.backToClient(server, request, { error: 'login_required' });
      return { kind: 'redirect', location: loginUrl(urls.login, request.id) };
    }
    const remembered =
      request.prompt?.includes('consent') !== true &&
      (await this.d.consents.covers(server.projectId, server.id, userId, request.clientId, request.scopes));
    if (remembered) return this.issueCode(server, request, userId);
    if (promptNone) return this.backToClient(server, request, { error: 'consent_required' });
    const csrf = await this.d.requests.newCsrf(server.projectId, request.id);
    return { kind: 'consent', request, client, userId, csrf };
  }

  private async issueCode(
    server: McpServerProfile,
    request: AuthorizationRequest,
    userId: string,
  ): Promise<AuthorizeStep> {
    const code = await this.d.requests.approve(server.projectId, request.id, userId);
    if (!code) return expired();
    return this.backToClient(server, request, { code });
  }

  /** RFC 9207: every response carries `iss`, so a client can tell which server answered. */
  private backToClient(
    server: McpServerProfile,
    request: AuthorizationRequest,
    params: Record<string, string>,
  ): AuthorizeStep {
    return {
      kind: 'redirect',
      location: redirectTo(request.redirectUri, {
        ...params,
        state: request.state,
        iss: urlsOf(this.d, server).issuer,
      }),
    };
  }
}

const loginUrl = (login: string, requestId: string): string =>
  `${login}?request=${encodeURIComponent(requestId)}`;

const expired = (): AuthorizeStep => ({
  kind: 'error_page',
  error: 'invalid_request',
  description: 'This sign-in request has expired or was already used. Start again from your app.',
});
