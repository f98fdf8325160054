import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Sandbox, startSandbox } from '../src/index.js';
import { api, confidentialClient, type OAuthClient, oauthClient, refresh } from './support.js';

describe('minted grants (test hook)', () => {
  let sandbox: Sandbox;
  let app: OAuthClient;
  beforeAll(async () => {
    sandbox = await startSandbox({ clients: [confidentialClient] });
    app = await oauthClient(sandbox);
  });
  afterAll(() => sandbox.close());

  it('are real tokens: the API accepts the access token, the refresh token rotates, reuse revokes the grant', async () => {
    const minted = await sandbox.mintGrant({ clientId: confidentialClient.clientId, userId: 'bob' });
    expect((await api(sandbox, minted.accessToken, 'GET', '/me')).status).toBe(200);

    const rotated = await oauth.processRefreshTokenResponse(
      app.as,
      app.client,
      await refresh(app, minted.refreshToken),
    );
    expect(rotated.refresh_token).not.toBe(minted.refreshToken);
    expect((await api(sandbox, rotated.access_token, 'GET', '/tasks')).status).toBe(200);

    const reuse = await refresh(app, minted.refreshToken);
    expect(reuse.status).toBe(400);
    expect(sandbox.stats().refreshReuseDetected).toBe(1);
    expect((await api(sandbox, rotated.access_token, 'GET', '/me')).status).toBe(401);
  });

  it('can be minted over the control API by a process that does not hold the sandbox', async () => {
    const res = await fetch(`${sandbox.url}/control/grants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        clientId: confidentialClient.clientId,
        userId: 'carol',
        scopes: ['openid', 'tasks:read'],
      }),
    });
    expect(res.status).toBe(201);
    const minted = (await res.json()) as { accessToken: string; scope: string };
    expect(minted.scope).toBe('openid tasks:read');
    expect((await api(sandbox, minted.accessToken, 'GET', '/me')).status).toBe(200);
    const unknown = await fetch(`${sandbox.url}/control/grants`, {
      method: 'POST',
      body: JSON.stringify({ clientId: confidentialClient.clientId, userId: 'nobody' }),
    });
    expect(unknown.status).toBe(400);
  });
});

describe('refresh token reuse window (optional)', () => {
  let sandbox: Sandbox;
  let app: OAuthClient;
  beforeAll(async () => {
    sandbox = await startSandbox({ clients: [confidentialClient], refreshTokenReuseWindowSeconds: 2 });
    app = await oauthClient(sandbox);
  });
  afterAll(() => sandbox.close());

  it('a rotated-out refresh token works again inside the window, and is reuse after it', async () => {
    const minted = await sandbox.mintGrant({ clientId: confidentialClient.clientId, userId: 'alice' });
    const first = await refresh(app, minted.refreshToken);
    expect(first.status).toBe(200);
    // The answer was "lost": the client presents the same token again, within the window.
    const again = await oauth.processRefreshTokenResponse(
      app.as,
      app.client,
      await refresh(app, minted.refreshToken),
    );
    expect(sandbox.stats()).toMatchObject({ refreshReuseInWindow: 1, refreshReuseDetected: 0 });
    expect((await api(sandbox, again.access_token, 'GET', '/me')).status).toBe(200);

    await new Promise((r) => setTimeout(r, 2_100));
    expect((await refresh(app, minted.refreshToken)).status).toBe(400);
    expect(sandbox.stats().refreshReuseDetected).toBe(1);
  });
});

describe('latency fault in the response phase', () => {
  let sandbox: Sandbox;
  let app: OAuthClient;
  beforeAll(async () => {
    sandbox = await startSandbox({ clients: [confidentialClient] });
    app = await oauthClient(sandbox);
  });
  afterAll(() => sandbox.close());

  it('the provider acts at once and the answer is held back: a client that gives up has lost a rotation', async () => {
    const minted = await sandbox.mintGrant({ clientId: confidentialClient.clientId, userId: 'bob' });
    sandbox.faults.add({
      match: { method: 'POST', pathPrefix: '/oauth/token' },
      kind: 'latency',
      latencyMs: 1_000,
      phase: 'response',
    });
    const basic = Buffer.from(`${confidentialClient.clientId}:${confidentialClient.clientSecret}`).toString(
      'base64',
    );
    const aborted = fetch(`${sandbox.issuer}/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${basic}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: minted.refreshToken }),
      signal: AbortSignal.timeout(200),
    }).catch((e: Error) => e.name);
    expect(await aborted).toBe('TimeoutError');
    expect(sandbox.stats().refreshGrants).toBe(1);
    expect((await refresh(app, minted.refreshToken)).status).toBe(400); // the rotated-out token is reuse now
  });
});
