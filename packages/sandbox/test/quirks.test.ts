import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeAuthorization, type Sandbox, type SandboxClient, startSandbox } from '../src/index.js';
import {
  api,
  authorizationRequest,
  exchangeCode,
  insecure,
  json,
  oauthClient,
  REDIRECT_URI,
  refresh,
} from './support.js';

/** A "custom provider": comma-separated scopes, no expires_in, client_secret_post. */
const postClient: SandboxClient = {
  clientId: 'custom-provider-app',
  clientSecret: 'custom-provider-secret',
  redirectUris: [REDIRECT_URI],
  tokenEndpointAuthMethod: 'client_secret_post',
  name: 'Custom Provider App',
};

let quirky: Sandbox;

beforeAll(async () => {
  quirky = await startSandbox({
    clients: [postClient],
    accessTokenTtlSeconds: 2,
    quirks: { scopeSeparator: ',', omitExpiresIn: true },
  });
});
afterAll(() => quirky.close());

interface RawTokenResponse {
  access_token: string;
  refresh_token: string;
  scope: string;
  expires_in?: number;
}

async function signInWithCommas(scope: string): Promise<RawTokenResponse> {
  const c = await oauthClient(quirky, postClient);
  const request = await authorizationRequest(c, scope);
  const callback = await completeAuthorization(request.url, { username: 'bob', password: 'bob-pass' });
  const response = await exchangeCode(c, request, callback);
  expect(response.status).toBe(200);
  return json<RawTokenResponse>(response);
}

describe('a differently-behaving provider (quirks)', () => {
  it('accepts comma-separated scopes and answers with them, without expires_in', async () => {
    const tokens = await signInWithCommas('openid,tasks:read,tasks:write');
    expect(tokens.scope).toBe('openid,tasks:read,tasks:write');
    expect(tokens).not.toHaveProperty('expires_in');
    expect(tokens.refresh_token).toEqual(expect.any(String));

    const created = await api(quirky, tokens.access_token, 'POST', '/tasks', {
      title: 'Granted through commas',
    });
    expect(created.status).toBe(201);
    expect((await api(quirky, tokens.access_token, 'DELETE', '/tasks/whatever')).status).toBe(403);
  });

  it('keeps the quirks on refresh', async () => {
    const c = await oauthClient(quirky, postClient);
    const tokens = await signInWithCommas('openid,tasks:read');
    const refreshed = await json<RawTokenResponse>(await refresh(c, tokens.refresh_token));
    expect(refreshed.scope).toBe('openid,tasks:read');
    expect(refreshed).not.toHaveProperty('expires_in');
  });

  it('authenticates the client with client_secret_post only', async () => {
    const tokens = await signInWithCommas('openid,tasks:read');
    const c = await oauthClient(quirky, postClient);
    const basic = await oauth.refreshTokenGrantRequest(
      c.as,
      c.client,
      oauth.ClientSecretBasic(postClient.clientSecret ?? ''),
      tokens.refresh_token,
      insecure,
    );
    expect(basic.status).toBe(401);
    expect(await basic.json()).toMatchObject({ error: 'invalid_client' });
    expect((await refresh(c, tokens.refresh_token)).status).toBe(200);
  });

  it('still expires the access token after its lifetime, though it does not say when', async () => {
    const tokens = await signInWithCommas('openid,tasks:read');
    expect((await api(quirky, tokens.access_token, 'GET', '/me')).status).toBe(200);
    const deadline = Date.now() + 3_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await api(quirky, tokens.access_token, 'GET', '/me')).status;
    }
    expect(status).toBe(401);
  });
});
