import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../src/store/db.js';
import { projectWithConnectedUsers, sandboxFor } from './support/broker.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

let gh: TestGatehouse;
let sandbox: Sandbox;
let acme: Awaited<ReturnType<typeof projectWithConnectedUsers>>;

beforeAll(async () => {
  gh = await startTestGatehouse(await openPglite());
  const started = await sandboxFor(gh);
  sandbox = started.sandbox;
  acme = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice']);
});
afterAll(async () => {
  await gh?.close();
  await sandbox?.close();
  await gh?.server.runtime.db.close();
});

const proxy = (body: Record<string, unknown>, key = acme.apiKey) =>
  gh.call('POST', '/v1/proxy', {
    key,
    body: { connectedAccountId: acme.accounts.alice, method: 'GET', ...body },
  });

describe('proxy: raw requests to the provider API with the user’s token', () => {
  it('forwards method, path, query, headers and body, and returns status, allow-listed headers and body', async () => {
    const res = await proxy({
      method: 'POST',
      path: '/debug/echo',
      query: { a: '1', b: ['x', 'y'] },
      headers: { 'x-custom': 'yes', authorization: 'Bearer evil', cookie: 'c=1' },
      body: { hello: 'world' },
    });
    expect(res.status).toBe(200);
    // Where the time went, as for execute: the provider API, then Gatehouse.
    expect(res.headers.get('server-timing')).toMatch(
      /^upstream;dur=[\d.]+;desc="provider API", gatehouse;dur=[\d.]+$/,
    );
    const out = res.body as {
      status: number;
      headers: Record<string, string>;
      body: {
        method: string;
        path: string;
        query: Record<string, unknown>;
        headers: Record<string, string>;
        body: unknown;
      };
      bodyEncoding: string;
    };
    expect(out.status).toBe(200);
    expect(out.bodyEncoding).toBe('json');
    expect(out.body).toMatchObject({ method: 'POST', path: '/api/debug/echo', body: { hello: 'world' } });
    expect(out.body.query).toMatchObject({ a: '1', b: ['x', 'y'] });
    expect(out.body.headers['x-custom']).toBe('yes');
    expect(out.headers['content-type']).toContain('application/json');
    expect(Object.keys(out.headers)).not.toContain('x-powered-by');
    // The caller's Authorization was dropped: the echo ran with alice's token (it answered, not 401).
  });

  it('never returns the token, even when the upstream echoes it', async () => {
    const res = await proxy({ path: '/debug/token' });
    const out = res.body as { body: { token: string } };
    expect(out.body.token).toBe('[REDACTED]');
    for (const token of sandbox.issuedTokens().accessTokens) expect(res.text).not.toContain(token);
  });

  it('refuses paths that leave the provider base URL', async () => {
    for (const path of [
      'http://evil.example/x',
      '//evil.example/x',
      '/../oauth/token',
      '/%2e%2e/oauth/token',
      '\\\\evil',
      'https:/x',
    ]) {
      const res = await proxy({ path });
      expect(res.status, path).toBe(400);
      expect((res.body as { error: { code: string } }).error.code, path).toBe('invalid_path');
    }
  });

  it('does not follow a redirect to another host, nor reveal it', async () => {
    const res = await proxy({
      path: '/debug/redirect',
      query: { to: 'http://169.254.169.254/latest/meta-data' },
    });
    expect(res.status).toBe(200);
    const out = res.body as { status: number; headers: Record<string, string> };
    expect(out.status).toBe(302);
    expect(out.headers.location).toBeUndefined();
  });

  it('validates its input', async () => {
    expect((await proxy({ method: 'TRACE', path: '/tasks' })).status).toBe(400);
    expect((await proxy({ path: '/tasks', unknown: 1 })).status).toBe(400);
    expect((await proxy({ connectedAccountId: 'ca_nope', path: '/tasks' })).status).toBe(404);
  });
});

describe('SSRF: providers that are not internal cannot reach private addresses', () => {
  it('a custom provider pointing at loopback is refused before any connection', async () => {
    for (const host of ['127.0.0.1', 'localhost', '[::1]', '169.254.169.254']) {
      const id = `intranet-${host.replace(/[^a-z0-9]/g, '')}`;
      const put = await gh.call('PUT', `/v1/providers/${id}`, {
        key: acme.apiKey,
        body: {
          id,
          displayName: 'Intranet',
          authType: 'oauth2',
          oauth2: {
            authorizationUrl: `https://${host}/auth`,
            tokenUrl: `https://${host}/token`,
            pkce: 'required',
            tokenEndpointAuthMethod: 'client_secret_basic',
            defaultScopes: [],
            scopes: [],
            defaultTokenLifetimeSeconds: 3600,
            refreshTokenRotation: 'always',
          },
          api: { baseUrl: `https://${host}/api` },
        },
      });
      expect(put.status, put.text).toBe(200);
      const ac = await gh.call('POST', '/v1/auth-configs', {
        key: acme.apiKey,
        body: { providerId: id, clientId: 'c', clientSecret: 's3cret-value' },
      });
      const authConfigId = (ac.body as { id: string }).id;
      // Plant an account directly (no real provider exists there) and try to proxy through it.
      const rt = gh.server.runtime;
      const auth = await rt.apiKeys.authenticate(acme.apiKey);
      if (!auth.ok) throw new Error('key');
      const { sealCredentials } = await import('../src/accounts/credentials.js');
      const accountId = `ca_ssrf${id.replace(/-/g, '').padEnd(19, '0').slice(0, 19)}`;
      await rt.db.query(
        `INSERT INTO connected_accounts (id, project_id, auth_config_id, user_id, provider_id, status, scopes, credentials_ct)
         VALUES ($1, $2, $3, 'mallory', $4, 'ACTIVE', '[]', $5)`,
        [
          accountId,
          auth.value.projectId,
          authConfigId,
          id,
          await sealCredentials(rt.vault, auth.value.projectId, accountId, {
            accessToken: 'x'.repeat(20),
            tokenType: 'bearer',
          }),
        ],
      );
      const res = await proxy({ connectedAccountId: accountId, path: '/anything' });
      expect(res.status, `${host}: ${res.text}`).toBe(403);
      expect((res.body as { error: { code: string } }).error.code).toBe('upstream_blocked');
    }
  });
});
