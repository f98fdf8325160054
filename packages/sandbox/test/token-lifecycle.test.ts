import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox, type Task } from '../src/index.js';
import {
  api,
  confidentialClient,
  json,
  type OAuthClient,
  oauthClient,
  publicClient,
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

describe('refresh token rotation', () => {
  it('rotates on every use for a confidential client, and the new access token keeps its scopes', async () => {
    const before = sandbox.stats();
    const first = await signIn(app, 'alice', 'openid tasks:read tasks:write');

    const second = await oauth.processRefreshTokenResponse(
      app.as,
      app.client,
      await refresh(app, first.refresh_token ?? ''),
    );
    expect(second.refresh_token).toEqual(expect.any(String));
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect(second.access_token).not.toBe(first.access_token);
    expect(second.scope).toBe('openid tasks:read tasks:write');

    const created = await api(sandbox, second.access_token, 'POST', '/tasks', {
      title: 'Written after a refresh',
    });
    expect(created.status).toBe(201);
    const { id } = await json<Task>(created);
    expect((await api(sandbox, second.access_token, 'GET', `/tasks/${id}`)).status).toBe(200);
    // tasks:delete was never granted, and a refresh does not add it.
    expect((await api(sandbox, second.access_token, 'DELETE', `/tasks/${id}`)).status).toBe(403);

    const third = await oauth.processRefreshTokenResponse(
      app.as,
      app.client,
      await refresh(app, second.refresh_token ?? ''),
    );
    expect(third.refresh_token).not.toBe(second.refresh_token);

    const after = sandbox.stats();
    expect(after.authorizationCodeGrants - before.authorizationCodeGrants).toBe(1);
    expect(after.refreshGrants - before.refreshGrants).toBe(2);
    expect(after.tokenRequests - before.tokenRequests).toBe(3);
  });

  it('rotates for a public client too', async () => {
    const spa = await oauthClient(sandbox, publicClient);
    const first = await signIn(spa, 'bob');
    const second = await oauth.processRefreshTokenResponse(
      spa.as,
      spa.client,
      await refresh(spa, first.refresh_token ?? ''),
    );
    expect(second.refresh_token).not.toBe(first.refresh_token);
    expect((await api(sandbox, second.access_token, 'GET', '/me')).status).toBe(200);
  });

  it('revokes the whole grant when a consumed refresh token is presented again, and counts it', async () => {
    const before = sandbox.stats().refreshReuseDetected;
    const first = await signIn(app, 'alice');
    const second = await oauth.processRefreshTokenResponse(
      app.as,
      app.client,
      await refresh(app, first.refresh_token ?? ''),
    );

    const replay = await refresh(app, first.refresh_token ?? '');
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    expect(sandbox.stats().refreshReuseDetected).toBe(before + 1);

    // The legitimate holder's newer tokens died with the grant.
    const successor = await refresh(app, second.refresh_token ?? '');
    expect(successor.status).toBe(400);
    expect(await successor.json()).toMatchObject({ error: 'invalid_grant' });
    expect((await api(sandbox, second.access_token, 'GET', '/me')).status).toBe(401);
    // A refresh token that is merely unknown is not a reuse.
    await refresh(app, 'not-a-refresh-token');
    expect(sandbox.stats().refreshReuseDetected).toBe(before + 1);
  });
});

describe('revokeUser', () => {
  it("kills every grant of the user, across clients, and leaves other users' tokens alone", async () => {
    const spa = await oauthClient(sandbox, publicClient);
    const carolWeb = await signIn(app, 'carol');
    const carolSpa = await signIn(spa, 'carol');
    const bob = await signIn(app, 'bob');

    const response = await fetch(`${sandbox.url}/control/users/carol/revoke`, { method: 'POST' });
    expect(await response.json()).toEqual({ revokedGrants: 2 });

    expect((await api(sandbox, carolWeb.access_token, 'GET', '/me')).status).toBe(401);
    expect((await api(sandbox, carolSpa.access_token, 'GET', '/me')).status).toBe(401);
    expect((await refresh(app, carolWeb.refresh_token ?? '')).status).toBe(400);
    expect((await refresh(spa, carolSpa.refresh_token ?? '')).status).toBe(400);
    expect((await api(sandbox, bob.access_token, 'GET', '/me')).status).toBe(200);
    expect(sandbox.revokeUser('carol')).toEqual({ revokedGrants: 0 });
    expect((await fetch(`${sandbox.url}/control/users/mallory/revoke`, { method: 'POST' })).status).toBe(404);
  });
});

describe('access token lifetime', () => {
  let shortLived: Sandbox;
  beforeAll(async () => {
    shortLived = await startSandbox({ clients: [confidentialClient], accessTokenTtlSeconds: 2 });
  });
  afterAll(() => shortLived.close());

  it('refuses an expired access token with invalid_token; the refresh token still gets a fresh one', async () => {
    const c = await oauthClient(shortLived);
    const tokens = await signIn(c, 'alice');
    expect(tokens.expires_in).toBe(2);
    expect((await api(shortLived, tokens.access_token, 'GET', '/me')).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const expired = await api(shortLived, tokens.access_token, 'GET', '/me');
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);

    const renewed = await oauth.processRefreshTokenResponse(
      c.as,
      c.client,
      await refresh(c, tokens.refresh_token ?? ''),
    );
    expect((await api(shortLived, renewed.access_token, 'GET', '/me')).status).toBe(200);
  });
});
