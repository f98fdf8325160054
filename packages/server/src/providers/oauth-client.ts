import * as oauth from 'oauth4webapi';
import { Scrubber } from '../broker/scrub.js';
import type { Outbound } from '../outbound/client.js';
import { fail, ok, type Result } from '../shared/result.js';
import { scrubSecrets } from '../telemetry/logger.js';
import { providerErrorCode, providerErrorMessage } from './oauth-errors.js';
import { oauth2Of, type ResolvedProvider } from './resolve.js';
import { normalizeTokenResponse } from './token-response.js';

export interface OAuthClient {
  clientId: string;
  clientSecret: string | undefined;
}

export interface TokenSet {
  accessToken: string;
  refreshToken: string | undefined;
  tokenType: string;
  /** Seconds, as the provider said, or undefined when it did not. */
  expiresIn: number | undefined;
  /** Granted scopes when the provider reported them. */
  scopes: string[] | undefined;
  idToken: string | undefined;
  idTokenSubject: string | undefined;
  /** The provider's original response body, for capturing connection config. Never stored whole. */
  raw: Record<string, unknown>;
}

const TIMEOUT_MS = 15_000;

export function authorizationServer(p: ResolvedProvider): oauth.AuthorizationServer {
  return {
    issuer: p.endpoints.issuer ?? new URL(p.endpoints.token).origin,
    authorization_endpoint: p.endpoints.authorization,
    token_endpoint: p.endpoints.token,
    ...(p.endpoints.revocation ? { revocation_endpoint: p.endpoints.revocation } : {}),
    // A definition that names its issuer says the provider sends RFC 9207 `iss`; then it is required.
    authorization_response_iss_parameter_supported: p.endpoints.issuer !== undefined,
  };
}

export function buildAuthorizationUrl(
  p: ResolvedProvider,
  client: OAuthClient,
  req: { redirectUri: string; scopes: string[]; state: string; codeChallenge: string | undefined },
): string {
  const url = new URL(p.endpoints.authorization);
  const params = url.searchParams;
  params.set('response_type', 'code');
  params.set('client_id', client.clientId);
  params.set('redirect_uri', req.redirectUri);
  if (req.scopes.length > 0) params.set(oauth2Of(p).scopeParam, req.scopes.join(oauth2Of(p).scopeSeparator));
  params.set('state', req.state);
  if (req.codeChallenge) {
    params.set('code_challenge', req.codeChallenge);
    params.set('code_challenge_method', 'S256');
  }
  for (const [k, v] of Object.entries(oauth2Of(p).authorizationParams)) params.set(k, v);
  return url.toString();
}

/**
 * Validates the callback (state, RFC 9207 iss, error) and returns the parameters to exchange. A
 * provider error is reported by its code and a fixed sentence, never its `error_description`.
 */
export function validateCallback(
  p: ResolvedProvider,
  client: OAuthClient,
  callback: URL,
  expectedState: string,
): Result<URLSearchParams> {
  try {
    return ok(
      oauth.validateAuthResponse(
        authorizationServer(p),
        { client_id: client.clientId },
        callback,
        expectedState,
      ),
    );
  } catch (err) {
    const scrubber = new Scrubber([client.clientSecret, callback.searchParams.get('code')]);
    if (err instanceof oauth.AuthorizationResponseError) {
      const code = providerErrorCode(err.error, scrubber);
      return fail('provider_denied', `The provider answered ${code}. ${providerErrorMessage(code)}`, {
        providerError: code,
      });
    }
    return fail(
      'invalid_callback',
      `authorization response rejected: ${scrubber.string(scrubSecrets((err as Error).message))}`,
    );
  }
}

export async function exchangeCode(
  outbound: Outbound,
  p: ResolvedProvider,
  client: OAuthClient,
  params: URLSearchParams,
  redirectUri: string,
  codeVerifier: string | undefined,
): Promise<Result<TokenSet>> {
  return tokenCall(
    outbound,
    p,
    'authorization_code',
    async (as, c, auth, options) =>
      oauth.processAuthorizationCodeResponse(
        as,
        c,
        await oauth.authorizationCodeGrantRequest(
          as,
          c,
          auth,
          params,
          redirectUri,
          codeVerifier ?? oauth.nopkce,
          options,
        ),
      ),
    client,
    [params.get('code'), codeVerifier],
  );
}

export async function refreshTokens(
  outbound: Outbound,
  p: ResolvedProvider,
  client: OAuthClient,
  refreshToken: string,
  limits: { timeoutMs?: number } = {},
): Promise<Result<TokenSet>> {
  return tokenCall(
    outbound,
    p,
    'refresh_token',
    async (as, c, auth, options) =>
      oauth.processRefreshTokenResponse(
        as,
        c,
        await oauth.refreshTokenGrantRequest(as, c, auth, refreshToken, options),
      ),
    client,
    [refreshToken],
    limits.timeoutMs,
  );
}

/** RFC 7009 revocation. Succeeds trivially when the provider has no revocation endpoint. */
export async function revokeToken(
  outbound: Outbound,
  p: ResolvedProvider,
  client: OAuthClient,
  token: string,
  hint: 'access_token' | 'refresh_token',
): Promise<Result<'revoked' | 'unsupported'>> {
  const revocation = oauth2Of(p).revocation;
  if (!revocation || !p.endpoints.revocation) return ok('unsupported');
  const method = revocation.authMethod ?? oauth2Of(p).tokenEndpointAuthMethod;
  try {
    const res = await oauth.revocationRequest(
      authorizationServer(p),
      { client_id: client.clientId },
      clientAuth(method, client),
      token,
      {
        ...requestOptions(outbound, p, undefined),
        additionalParameters: revocation.tokenTypeHint ? { token_type_hint: hint } : {},
      },
    );
    await oauth.processRevocationResponse(res);
    return ok('revoked');
  } catch (err) {
    const scrubber = new Scrubber([client.clientSecret, token]);
    return fail('provider_error', `revocation failed: ${scrubber.string(describe(err))}`);
  }
}

type Grant = 'authorization_code' | 'refresh_token';
type TokenRequest = (
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  auth: oauth.ClientAuth,
  options: oauth.TokenEndpointRequestOptions,
) => Promise<oauth.TokenEndpointResponse>;

async function tokenCall(
  outbound: Outbound,
  p: ResolvedProvider,
  grant: Grant,
  run: TokenRequest,
  client: OAuthClient,
  /** The grant's secrets (code and verifier, or refresh token), kept out of every message. */
  grantSecrets: (string | null | undefined)[],
  timeoutMs = TIMEOUT_MS,
): Promise<Result<TokenSet>> {
  const as = authorizationServer(p);
  const scrubber = new Scrubber([client.clientSecret, ...grantSecrets]);
  const captured: { raw: Record<string, unknown> } = { raw: {} };
  try {
    const response = await run(
      as,
      { client_id: client.clientId },
      clientAuth(oauth2Of(p).tokenEndpointAuthMethod, client),
      {
        ...requestOptions(outbound, p, { grant, captured }, timeoutMs),
        additionalParameters: oauth2Of(p).tokenParams,
      },
    );
    const claims = oauth.getValidatedIdTokenClaims(response);
    if (typeof response.access_token !== 'string' || response.access_token.length === 0) {
      return fail('provider_invalid_response', 'the token response has no access token');
    }
    return ok({
      accessToken: response.access_token,
      refreshToken: typeof response.refresh_token === 'string' ? response.refresh_token : undefined,
      tokenType: response.token_type,
      expiresIn: typeof response.expires_in === 'number' ? response.expires_in : undefined,
      scopes: typeof response.scope === 'string' ? response.scope.split(/\s+/).filter(Boolean) : undefined,
      idToken: typeof response.id_token === 'string' ? response.id_token : undefined,
      idTokenSubject: claims?.sub,
      raw: captured.raw,
    });
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError) {
      const invalidGrant = oauth2Of(p).errorCodes.invalidGrant.includes(err.error);
      // The code and a fixed sentence only: error_description is free text that may quote secrets.
      const code = providerErrorCode(err.error, scrubber);
      return fail(
        invalidGrant ? 'invalid_grant' : 'provider_error',
        `The provider's token endpoint answered ${code}. ${providerErrorMessage(code)}`,
        {
          providerError: code,
          status: err.status,
        },
      );
    }
    if (isNetworkError(err))
      return fail(
        'provider_unreachable',
        `cannot reach the provider's token endpoint: ${scrubber.string(describe(err))}`,
      );
    return fail(
      'provider_invalid_response',
      `the token response was rejected: ${scrubber.string(describe(err))}`,
    );
  }
}

function clientAuth(method: string, client: OAuthClient): oauth.ClientAuth {
  if (method === 'none' || client.clientSecret === undefined) return oauth.None();
  return method === 'client_secret_post'
    ? oauth.ClientSecretPost(client.clientSecret)
    : oauth.ClientSecretBasic(client.clientSecret);
}

/**
 * Provider quirks applied at the HTTP boundary: extra headers, JSON-encoded token requests, and
 * token responses rewritten to the standard shape before oauth4webapi validates them.
 */
function requestOptions(
  outbound: Outbound,
  p: ResolvedProvider,
  token: { grant: Grant; captured: { raw: Record<string, unknown> } } | undefined,
  timeoutMs = TIMEOUT_MS,
): oauth.TokenEndpointRequestOptions {
  const base = outbound.fetchFor(p.internal);
  const o = oauth2Of(p);
  const quirkFetch = async (url: string, init: RequestInit): Promise<Response> => {
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(o.tokenHeaders)) headers.set(k, v);
    let body = init.body;
    if (o.tokenRequestEncoding === 'json' && body instanceof URLSearchParams) {
      body = JSON.stringify(Object.fromEntries(body));
      headers.set('content-type', 'application/json');
    }
    const res = await base(url, { ...init, headers, body: body ?? null });
    if (!token) return res;
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = Object.fromEntries(new URLSearchParams(text)); // some providers answer form-encoded
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
      return new Response(text, { status: res.status, headers: res.headers });
    token.captured.raw = parsed as Record<string, unknown>;
    const normalized = res.ok
      ? normalizeTokenResponse(
          parsed as Record<string, unknown>,
          o,
          token.grant,
          p.endpoints.issuer !== undefined,
        )
      : { status: res.status, body: parsed as Record<string, unknown> };
    return new Response(JSON.stringify(normalized.body), {
      status: normalized.status,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    });
  };
  return {
    [oauth.customFetch]: quirkFetch,
    ...(p.internal ? { [oauth.allowInsecureRequests]: true } : {}),
    signal: AbortSignal.timeout(timeoutMs),
  };
}

function isNetworkError(err: unknown): boolean {
  const e = err as { name?: string; code?: string; cause?: { code?: string } };
  return (
    e?.name === 'TimeoutError' ||
    e?.name === 'AbortError' ||
    e?.code === 'EBLOCKEDADDRESS' ||
    (err instanceof TypeError && e.cause !== undefined)
  );
}

function describe(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  return scrubSecrets(e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(err));
}
