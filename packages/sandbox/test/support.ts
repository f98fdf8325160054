import * as oauth from 'oauth4webapi';
import { completeAuthorization, type Sandbox, type SandboxClient } from '../src/index.js';

/** Test scaffolding: an oauth4webapi client driving the sandbox headlessly. Real HTTP, no mocks. */

export const insecure = { [oauth.allowInsecureRequests]: true } as const;

/** Never fetched: the headless driver stops at the redirect. Port 9 is "discard". */
export const REDIRECT_URI = 'http://127.0.0.1:9/callback';

export const confidentialClient: SandboxClient = {
  clientId: 'gatehouse-test',
  clientSecret: 'gatehouse-test-secret',
  redirectUris: [REDIRECT_URI],
  tokenEndpointAuthMethod: 'client_secret_basic',
  name: 'Gatehouse Test App',
};

export const publicClient: SandboxClient = {
  clientId: 'gatehouse-public',
  redirectUris: [REDIRECT_URI],
  tokenEndpointAuthMethod: 'none',
  name: 'Gatehouse Public App',
};

export interface OAuthClient {
  as: oauth.AuthorizationServer;
  client: oauth.Client;
  auth: oauth.ClientAuth;
  registration: SandboxClient;
}

export async function oauthClient(sandbox: Sandbox, registration = confidentialClient): Promise<OAuthClient> {
  const issuer = new URL(sandbox.issuer);
  const response = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...insecure });
  const as = await oauth.processDiscoveryResponse(issuer, response);
  const client: oauth.Client = { client_id: registration.clientId };
  const secret = registration.clientSecret ?? '';
  const auth =
    registration.tokenEndpointAuthMethod === 'none'
      ? oauth.None()
      : registration.tokenEndpointAuthMethod === 'client_secret_post'
        ? oauth.ClientSecretPost(secret)
        : oauth.ClientSecretBasic(secret);
  return { as, client, auth, registration };
}

export interface AuthorizationRequest {
  url: string;
  state: string;
  codeVerifier: string;
}

export async function authorizationRequest(
  { as, registration }: OAuthClient,
  scope: string,
  extra: Record<string, string> = {},
): Promise<AuthorizationRequest> {
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint ?? '');
  url.search = new URLSearchParams({
    client_id: registration.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: 'code',
    scope,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    ...extra,
  }).toString();
  return { url: url.href, state, codeVerifier };
}

/** Exchanges the callback's code, returning the raw JSON token response (before oauth4webapi). */
export async function exchangeCode(c: OAuthClient, request: AuthorizationRequest, callback: string) {
  const params = oauth.validateAuthResponse(c.as, c.client, new URL(callback), request.state);
  return oauth.authorizationCodeGrantRequest(
    c.as,
    c.client,
    c.auth,
    params,
    REDIRECT_URI,
    request.codeVerifier,
    insecure,
  );
}

/** Full flow as `username`: authorize, sign in, consent, exchange. */
export async function signIn(c: OAuthClient, username: string, scope = 'openid tasks:read') {
  const request = await authorizationRequest(c, scope);
  const callback = await completeAuthorization(request.url, { username, password: `${username}-pass` });
  const response = await exchangeCode(c, request, callback);
  return oauth.processAuthorizationCodeResponse(c.as, c.client, response);
}

export async function refresh(c: OAuthClient, refreshToken: string): Promise<Response> {
  return oauth.refreshTokenGrantRequest(c.as, c.client, c.auth, refreshToken, insecure);
}

export async function api(
  sandbox: Sandbox,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`${sandbox.apiBaseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** The JSON body, typed by the caller (the API's contract, asserted by the tests that use it). */
export async function json<T>(response: Response): Promise<T> {
  return (await response.json()) as T;
}
