import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, completeAuthorization, type Sandbox, startSandbox } from '../src/index.js';
import {
  api,
  authorizationRequest,
  confidentialClient,
  exchangeCode,
  insecure,
  type OAuthClient,
  oauthClient,
  publicClient,
  REDIRECT_URI,
  refresh,
  signIn,
} from './support.js';

let sandbox: Sandbox;
let app: OAuthClient;

beforeAll(async () => {
  sandbox = await startSandbox({ clients: [confidentialClient, publicClient] });
  app = await oauthClient(sandbox);
});
afterAll(() => sandbox.close());

describe('authorization code flow with PKCE', () => {
  it('publishes an issuer under /oauth that requires S256 PKCE and supports revocation', async () => {
    expect(app.as.issuer).toBe(`${sandbox.url}/oauth`);
    expect(app.as.code_challenge_methods_supported).toEqual(['S256']);
    expect(app.as.revocation_endpoint).toBe(`${sandbox.url}/oauth/token/revocation`);
    expect(app.as.grant_types_supported).toEqual(
      expect.arrayContaining(['authorization_code', 'refresh_token']),
    );
    expect(app.as.scopes_supported).toEqual(expect.arrayContaining(['openid', 'tasks:read', 'tasks:delete']));
  });

  it('alice signs in with openid tasks:read and the app gets an API token, an id_token, a refresh token', async () => {
    const request = await authorizationRequest(app, 'openid tasks:read');
    const callback = new URL(
      await completeAuthorization(request.url, { username: 'alice', password: 'alice-pass' }),
    );
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('iss')).toBe(sandbox.issuer);
    expect(callback.searchParams.get('state')).toBe(request.state);

    const raw = await exchangeCode(app, request, callback.href);
    const tokens = await oauth.processAuthorizationCodeResponse(app.as, app.client, raw);
    expect(tokens.scope).toBe('openid tasks:read');
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.refresh_token).toEqual(expect.any(String));
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe('alice');

    const me = await api(sandbox, tokens.access_token, 'GET', '/me');
    expect(await me.json()).toEqual({
      id: 'alice',
      name: 'Alice Anders',
      email: 'alice@acme.test',
      team: 'acme-eng',
    });
    expect((await api(sandbox, tokens.access_token, 'GET', '/tasks')).status).toBe(200);
  });

  it('a public client (token_endpoint_auth_method none) completes the same flow', async () => {
    const tokens = await signIn(await oauthClient(sandbox, publicClient), 'bob');
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe('bob');
    expect(tokens.refresh_token).toEqual(expect.any(String));
  });

  it('refuses an authorization request without a code_challenge, even from a confidential client', async () => {
    const request = await authorizationRequest(app, 'openid tasks:read');
    const url = new URL(request.url);
    url.searchParams.delete('code_challenge');
    url.searchParams.delete('code_challenge_method');
    const response = await fetch(url, { redirect: 'manual' });
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.origin + location.pathname).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('refuses a code exchange with the wrong code_verifier', async () => {
    const request = await authorizationRequest(app, 'openid tasks:read');
    const callback = await completeAuthorization(request.url, { username: 'alice', password: 'alice-pass' });
    const response = await exchangeCode(
      app,
      { ...request, codeVerifier: oauth.generateRandomCodeVerifier() },
      callback,
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('sends the user back with access_denied when they press Deny', async () => {
    const request = await authorizationRequest(app, 'openid tasks:read tasks:write');
    const callback = new URL(
      await completeAuthorization(
        request.url,
        { username: 'carol', password: 'carol-pass' },
        { decision: 'deny' },
      ),
    );
    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('state')).toBe(request.state);
    expect(callback.searchParams.has('code')).toBe(false);
  });

  it('re-renders the login page with an error on a wrong password', async () => {
    const request = await authorizationRequest(app, 'openid');
    const login = await fetch(request.url, { redirect: 'manual' });
    const interaction = new URL(login.headers.get('location') ?? '', sandbox.url);
    const cookie = login.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    // Plain http on 127.0.0.1: the interaction cookies must not be Secure (a browser would drop them).
    expect(login.headers.getSetCookie().join('\n')).not.toMatch(/;\s*secure/i);
    const page = await fetch(interaction, { headers: { cookie } });
    expect(await page.text()).toContain('<input name="username"');

    const wrong = await fetch(`${interaction.href}/login`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'alice', password: 'bob-pass' }),
      redirect: 'manual',
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain('Wrong username or password');
    await expect(completeAuthorization(request.url, { username: 'alice', password: 'nope' })).rejects.toThrow(
      /sign-in refused/,
    );
  });

  it('shows the client name and the requested scopes in plain words on the consent page', async () => {
    const request = await authorizationRequest(app, 'openid tasks:read tasks:delete');
    let consentHtml = '';
    await completeAuthorization(
      request.url,
      { username: 'alice', password: 'alice-pass' },
      {
        onPage: (_url, html) => {
          if (html.includes('name="decision"')) consentHtml = html;
        },
      },
    );
    expect(consentHtml).toContain('Gatehouse Test App');
    expect(consentHtml).toContain('Delete your tasks');
    expect(consentHtml).toContain("View your tasks and your team's shared tasks".replace("'", '&#39;'));
    expect(consentHtml).toContain('value="approve">Allow</button>');
    expect(consentHtml).toContain('value="deny"');
  });

  it('accepts clients registered while running, and rejects unregistered redirect URIs', async () => {
    const late = { ...publicClient, clientId: 'late-client', redirectUris: ['http://127.0.0.1:9/late'] };
    await sandbox.registerClient(late);
    const c = await oauthClient(sandbox, late);
    const request = await authorizationRequest(c, 'openid', { redirect_uri: 'http://127.0.0.1:9/late' });
    const callback = new URL(
      await completeAuthorization(request.url, { username: 'bob', password: 'bob-pass' }),
    );
    expect(callback.pathname).toBe('/late');
    expect(callback.searchParams.get('code')).toEqual(expect.any(String));

    await expect(
      sandbox.registerClient({ ...late, clientId: 'custom-scheme', redirectUris: ['myapp://cb'] }),
    ).rejects.toThrow();
    const other = await authorizationRequest(c, 'openid', { redirect_uri: 'http://127.0.0.1:9/elsewhere' });
    const refused = await fetch(other.url, { redirect: 'manual' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('redirect_uri');
  });

  it('records every token it issues for leak tests', async () => {
    const tokens = await signIn(app, 'carol');
    const issued = sandbox.issuedTokens();
    expect(issued.accessTokens).toContain(tokens.access_token);
    expect(issued.refreshTokens).toContain(tokens.refresh_token);
  });

  it('revokes at the RFC 7009 endpoint: the access token stops working at the API at once', async () => {
    const tokens = await signIn(app, 'alice');
    expect((await api(sandbox, tokens.access_token, 'GET', '/me')).status).toBe(200);
    const response = await oauth.revocationRequest(
      app.as,
      app.client,
      app.auth,
      tokens.access_token,
      insecure,
    );
    await oauth.processRevocationResponse(response);
    const after = await api(sandbox, tokens.access_token, 'GET', '/me');
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('error="invalid_token"');
    // oidc-provider revokes by grant: the refresh token went with it.
    expect((await refresh(app, tokens.refresh_token ?? '')).status).toBe(400);
  });
});

describe('the headless driver', () => {
  it('starts on another origin that redirects to the sandbox when told to follow it, and stops where asked', async () => {
    const request = await authorizationRequest(app, 'openid tasks:read');
    // Stands in for a Gatehouse connect page: it sets a cookie and redirects to the sandbox.
    const connectPage = createServer((_req, res) => {
      res.writeHead(302, { location: request.url, 'set-cookie': 'connect=1; Path=/' }).end();
    });
    await new Promise<void>((resolve) => connectPage.listen(0, '127.0.0.1', resolve));
    const start = `http://127.0.0.1:${(connectPage.address() as AddressInfo).port}/connect/abc`;
    try {
      const alice = { username: 'alice', password: 'alice-pass' };
      const withoutFollowing = await completeAuthorization(start, alice);
      expect(withoutFollowing).toBe(request.url);

      const callback = new URL(await completeAuthorization(start, alice, { followOrigins: [sandbox.url] }));
      expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
      expect(callback.searchParams.get('code')).toEqual(expect.any(String));

      const stopped = await completeAuthorization(start, alice, {
        followOrigins: [sandbox.url],
        stopAt: (url) => url.pathname.startsWith('/oauth/interaction/'),
      });
      expect(stopped).toMatch(new RegExp(`^${sandbox.url}/oauth/interaction/`));
    } finally {
      connectPage.close();
      connectPage.closeAllConnections();
    }
  });

  it('keeps the sandbox session in a shared cookie jar: the second authorization needs no sign-in', async () => {
    const cookieJar = new CookieJar();
    const pages: string[] = [];
    const onPage = (url: URL) => pages.push(url.pathname);
    const first = await authorizationRequest(app, 'openid tasks:read');
    await completeAuthorization(first.url, { username: 'bob', password: 'bob-pass' }, { cookieJar, onPage });
    expect(pages).toHaveLength(2); // login, consent

    const second = await authorizationRequest(app, 'openid tasks:read');
    const callback = await completeAuthorization(
      second.url,
      { username: 'bob', password: 'not used' },
      { cookieJar, onPage },
    );
    expect(pages).toHaveLength(2);
    const tokens = await oauth.processAuthorizationCodeResponse(
      app.as,
      app.client,
      await exchangeCode(app, second, callback),
    );
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe('bob');
  });
});
