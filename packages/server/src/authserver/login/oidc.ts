import * as oauth from 'oauth4webapi';
import { Scrubber } from '../../broker/scrub.js';
import type { Outbound } from '../../outbound/client.js';
import { providerErrorCode, providerErrorMessage } from '../../providers/oauth-errors.js';
import { fail, ok, type Result } from '../../shared/result.js';
import { scrubSecrets } from '../../telemetry/logger.js';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string | undefined;
  scopes: string[];
  userClaim: 'sub' | 'email' | 'preferred_username';
  redirectUri: string;
}

const TIMEOUT_MS = 10_000;
const DISCOVERY_TTL_MS = 10 * 60_000;

/**
 * End-user sign-in at a profile's OpenID Connect identity provider, with oauth4webapi as the client:
 * discovery, authorization code with PKCE S256 and a nonce, ID token validation, and the user id
 * taken from one claim of the validated ID token.
 */
export class OidcLogin {
  private readonly discovered = new Map<string, { as: oauth.AuthorizationServer; until: number }>();

  constructor(
    private readonly outbound: Outbound,
    private readonly allowInternal: boolean,
  ) {}

  async authorizationUrl(
    s: OidcSettings,
    a: { state: string; nonce: string; codeVerifier: string },
  ): Promise<Result<string>> {
    const as = await this.discover(s.issuer);
    if (!as.ok) return as;
    if (!as.value.authorization_endpoint)
      return fail('login_unavailable', 'the identity provider has no authorization endpoint');
    const url = new URL(as.value.authorization_endpoint);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', s.clientId);
    url.searchParams.set('redirect_uri', s.redirectUri);
    url.searchParams.set('scope', s.scopes.join(' '));
    url.searchParams.set('state', a.state);
    url.searchParams.set('nonce', a.nonce);
    url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(a.codeVerifier));
    url.searchParams.set('code_challenge_method', 'S256');
    return ok(url.toString());
  }

  /** Validates the callback, exchanges the code and returns the user id from the ID token. */
  async finish(
    s: OidcSettings,
    callback: URL,
    a: { state: string; nonce: string; codeVerifier: string },
  ): Promise<Result<string>> {
    const as = await this.discover(s.issuer);
    if (!as.ok) return as;
    const client: oauth.Client = { client_id: s.clientId };
    const auth = s.clientSecret ? oauth.ClientSecretBasic(s.clientSecret) : oauth.None();
    try {
      const params = oauth.validateAuthResponse(as.value, client, callback, a.state);
      const response = await oauth.authorizationCodeGrantRequest(
        as.value,
        client,
        auth,
        params,
        s.redirectUri,
        a.codeVerifier,
        this.options(),
      );
      const result = await oauth.processAuthorizationCodeResponse(as.value, client, response, {
        expectedNonce: a.nonce,
        requireIdToken: true,
      });
      const claims = oauth.getValidatedIdTokenClaims(result);
      const user = claims?.[s.userClaim];
      if (typeof user !== 'string' || user.length === 0 || user.length > 256)
        return fail('login_failed', `the identity provider did not return a usable "${s.userClaim}" claim`);
      if (s.userClaim === 'email' && claims?.email_verified !== true)
        return fail('login_failed', 'the identity provider did not verify this email address');
      return ok(user);
    } catch (err) {
      // The provider's code and a fixed sentence: its error_description may quote the secrets in play.
      const scrubber = new Scrubber([s.clientSecret, callback.searchParams.get('code'), a.codeVerifier]);
      if (err instanceof oauth.AuthorizationResponseError || err instanceof oauth.ResponseBodyError) {
        const code = providerErrorCode(err.error, scrubber);
        return fail('login_failed', `the identity provider answered ${code}. ${providerErrorMessage(code)}`);
      }
      const message = scrubSecrets((err as Error).message ?? String(err));
      return fail('login_failed', `sign-in failed: ${scrubber.string(message)}`);
    }
  }

  private async discover(issuer: string): Promise<Result<oauth.AuthorizationServer>> {
    const cached = this.discovered.get(issuer);
    if (cached && cached.until > Date.now()) return ok(cached.as);
    try {
      const url = new URL(issuer);
      const base = this.outbound.fetchFor(this.allowInternal);
      const res = await oauth.discoveryRequest(url, {
        algorithm: 'oidc',
        [oauth.customFetch]: (u: string, init: oauth.CustomFetchOptions<'GET', undefined>) =>
          base(u, {
            method: init.method,
            headers: init.headers,
            redirect: init.redirect,
            signal: init.signal ?? null,
          }),
        ...(this.allowInternal ? { [oauth.allowInsecureRequests]: true } : {}),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      const as = await oauth.processDiscoveryResponse(url, res);
      this.discovered.set(issuer, { as, until: Date.now() + DISCOVERY_TTL_MS });
      return ok(as);
    } catch {
      return fail(
        'login_unavailable',
        'the identity provider cannot be reached or its discovery document is invalid',
      );
    }
  }

  private options(): oauth.TokenEndpointRequestOptions {
    const base = this.outbound.fetchFor(this.allowInternal);
    return {
      [oauth.customFetch]: (url: string, init: RequestInit) => base(url, init),
      ...(this.allowInternal ? { [oauth.allowInsecureRequests]: true } : {}),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    };
  }
}
