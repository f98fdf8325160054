import * as oauth from 'oauth4webapi';
import type { McpServerProfile } from '../../mcp/server-profiles.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { type AuthServerDeps, urlsOf } from '../deps.js';
import { verifyHandoff } from './handoff.js';
import type { OidcSettings } from './oidc.js';

export type LoginStart =
  | { kind: 'redirect'; location: string }
  | { kind: 'dev_form'; state: string }
  | { kind: 'unavailable'; message: string };

const verifierBinding = (id: string) => ({
  table: 'mcp_login_attempts',
  rowId: id,
  purpose: 'pkce_verifier',
});

const BOUND_PAGE = /^\/(connect\/cl|approvals\/apr)_[0-9a-z]{26}\?key=[A-Za-z0-9]{1,100}$/;

/**
 * Where a finished sign-in may continue: back into an authorization request, or to a bound Connect
 * Link or approval page. Only these exact local shapes: never an open redirect.
 */
export function continuationFor(
  serverId: string,
  q: { request?: string | undefined; return_to?: string | undefined },
): string | undefined {
  if (q.request && /^mcr_[0-9a-z]{26}$/.test(q.request))
    return `/as/${serverId}/authorize/continue?request=${q.request}`;
  if (q.return_to && BOUND_PAGE.test(q.return_to)) return q.return_to;
  return undefined;
}

/**
 * End-user sign-in at a profile's authorization server, by the profile's method: its OIDC identity
 * provider, a signed hand-off from the developer's app, or (outside production) a dev form. Every
 * method goes through a single-use attempt bound to the browser, then opens a login session.
 */
export class LoginFlow {
  constructor(
    private readonly d: AuthServerDeps,
    private readonly production: boolean,
  ) {}

  async start(server: McpServerProfile, continueTo: string, browser: string): Promise<LoginStart> {
    const urls = urlsOf(this.d, server);
    const login = server.login;
    if (login.type === 'dev') {
      if (this.production)
        return { kind: 'unavailable', message: 'The development sign-in is disabled in production.' };
      const { state } = await this.d.attempts.create(server.projectId, server.id, {
        browserHash: browser,
        continueTo,
      });
      return { kind: 'dev_form', state };
    }
    if (login.type === 'handoff') {
      const { state } = await this.d.attempts.create(server.projectId, server.id, {
        browserHash: browser,
        continueTo,
      });
      const url = new URL(login.loginUrl);
      url.searchParams.set('gatehouse_nonce', state);
      url.searchParams.set('gatehouse_return_to', urls.handoffReturn);
      return { kind: 'redirect', location: url.toString() };
    }
    const settings = await this.oidcSettings(server);
    if (!settings.ok) return { kind: 'unavailable', message: settings.error.message };
    const nonce = oauth.generateRandomNonce();
    const codeVerifier = oauth.generateRandomCodeVerifier();
    const { state } = await this.d.attempts.create(server.projectId, server.id, {
      browserHash: browser,
      continueTo,
      nonce,
      codeVerifierCt: (id) => this.d.vault.encrypt(server.projectId, verifierBinding(id), codeVerifier),
    });
    const url = await this.d.oidc.authorizationUrl(settings.value, { state, nonce, codeVerifier });
    return url.ok
      ? { kind: 'redirect', location: url.value }
      : { kind: 'unavailable', message: url.error.message };
  }

  async finishOidc(server: McpServerProfile, callback: URL, browser: string): Promise<Result<string>> {
    if (server.login.type !== 'oidc')
      return fail('login_failed', 'this server does not sign in with OpenID Connect');
    const state = callback.searchParams.get('state') ?? '';
    const attempt = await this.d.attempts.consume(server.projectId, server.id, state, browser);
    if (!attempt?.codeVerifierCt || !attempt.nonce)
      return fail(
        'login_failed',
        'This sign-in response does not belong to a sign-in started in this browser.',
      );
    const verifier = await this.d.vault.decrypt(
      server.projectId,
      verifierBinding(attempt.id),
      attempt.codeVerifierCt,
    );
    if (!verifier.ok) return fail('login_failed', 'The sign-in could not be completed.');
    const settings = await this.oidcSettings(server);
    if (!settings.ok) return settings;
    const user = await this.d.oidc.finish(settings.value, callback, {
      state,
      nonce: attempt.nonce,
      codeVerifier: verifier.value,
    });
    if (!user.ok) return user;
    await this.d.sessions.signIn(server.projectId, server.id, browser, user.value, 'oidc');
    return ok(attempt.continueTo);
  }

  async finishHandoff(server: McpServerProfile, assertion: string, browser: string): Promise<Result<string>> {
    const login = server.login;
    if (login.type !== 'handoff') return fail('login_failed', 'this server does not accept hand-offs');
    let key: Parameters<typeof verifyHandoff>[1];
    if (login.key === 'jwk' && login.publicJwk) key = { kind: 'jwk', jwk: login.publicJwk };
    else {
      const secret = await this.d.profiles.loginSecret(server);
      if (!secret.ok || !secret.value) return fail('login_unavailable', 'the hand-off key cannot be read');
      key = { kind: 'secret', secret: secret.value };
    }
    const verified = await verifyHandoff(assertion, key, urlsOf(this.d, server).issuer);
    if (!verified.ok) return verified;
    const attempt = await this.d.attempts.consume(server.projectId, server.id, verified.value.nonce, browser);
    if (!attempt)
      return fail(
        'login_failed',
        'This hand-off was already used, expired, or belongs to a sign-in started in another browser.',
      );
    await this.d.sessions.signIn(server.projectId, server.id, browser, verified.value.userId, 'handoff');
    return ok(attempt.continueTo);
  }

  async finishDev(
    server: McpServerProfile,
    state: string,
    userId: string,
    browser: string,
  ): Promise<Result<string>> {
    if (server.login.type !== 'dev' || this.production)
      return fail('login_failed', 'the development sign-in is not enabled for this server');
    const attempt = await this.d.attempts.consume(server.projectId, server.id, state, browser);
    if (!attempt) return fail('login_failed', 'This form has expired. Start again from your app.');
    await this.d.sessions.signIn(server.projectId, server.id, browser, userId, 'dev');
    return ok(attempt.continueTo);
  }

  private async oidcSettings(server: McpServerProfile): Promise<Result<OidcSettings>> {
    const login = server.login;
    if (login.type !== 'oidc') return fail('login_unavailable', 'not an OIDC login');
    const secret = await this.d.profiles.loginSecret(server);
    if (!secret.ok) return fail('login_unavailable', 'the identity provider client secret cannot be read');
    return ok({
      issuer: login.issuer,
      clientId: login.clientId,
      clientSecret: secret.value,
      scopes: login.scopes,
      userClaim: login.userClaim,
      redirectUri: urlsOf(this.d, server).oidcCallback,
    });
  }
}
