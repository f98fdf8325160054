import { randomBytes } from 'node:crypto';
import { type Sandbox, startSandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../src/store/db.js';
import { connectUser } from './support/connect.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

let gh: TestGatehouse;
let corp: Sandbox;
let apiKey: string;
const client = { clientId: 'gatehouse-corp', clientSecret: randomBytes(16).toString('hex') };

function corpDefinition(url: string) {
  return {
    id: 'acme-corp-idp',
    displayName: 'Acme Corp SSO',
    authType: 'oauth2',
    oauth2: {
      authorizationUrl: `${url}/oauth/auth`,
      tokenUrl: `${url}/oauth/token`,
      revocation: { url: `${url}/oauth/token/revocation` },
      issuer: `${url}/oauth`,
      scopeSeparator: ',',
      pkce: 'required',
      tokenEndpointAuthMethod: 'client_secret_post',
      defaultScopes: ['openid', 'tasks:read'],
      scopes: [
        { name: 'openid', description: 'Know who you are' },
        { name: 'tasks:read', description: 'Read your tasks' },
      ],
      defaultTokenLifetimeSeconds: 900,
      refreshTokenRotation: 'always',
    },
    api: {
      baseUrl: `${url}/api`,
      internal: true,
      identity: { source: 'request', method: 'GET', path: '/me', subjectPath: 'id', displayNamePath: 'name' },
    },
  };
}

beforeAll(async () => {
  gh = await startTestGatehouse(await openPglite());
  // A differently configured oidc-provider: comma-separated scopes, no expires_in, client_secret_post.
  corp = await startSandbox({
    quirks: { scopeSeparator: ',', omitExpiresIn: true },
    clients: [
      {
        ...client,
        redirectUris: [`${gh.url}/oauth/callback`],
        tokenEndpointAuthMethod: 'client_secret_post',
      },
    ],
  });
  apiKey = (await gh.createProject('corp')).apiKey;
});
afterAll(async () => {
  await gh?.close();
  await corp?.close();
  await gh?.server.runtime.db.close();
});

describe('custom providers registered through the API', () => {
  it("a provider's setup guide names this deployment's callback URL and the scopes each toolkit needs", async () => {
    const res = await gh.call('GET', '/v1/providers/github', { key: apiKey });
    expect(res.status).toBe(200);
    const guide = (res.body as { guide: Record<string, unknown> }).guide;
    expect(guide).toMatchObject({
      providerId: 'github',
      consoleUrl: 'https://github.com/settings/applications/new',
      callbackUrl: `${gh.url}/oauth/callback`,
      toolkits: expect.arrayContaining([
        expect.objectContaining({
          id: 'github',
          scopes: expect.arrayContaining([expect.objectContaining({ name: 'repo' })]),
        }),
      ]),
    });
    expect(guide.markdown).toContain(`\`${gh.url}/oauth/callback\``);
  });

  it('a company OAuth server with comma scopes, client_secret_post and no expires_in connects end to end', async () => {
    const put = await gh.call('PUT', '/v1/providers/acme-corp-idp', {
      key: apiKey,
      body: corpDefinition(corp.url),
    });
    expect(put.status, put.text).toBe(200);
    const listed = (await gh.call('GET', '/v1/providers', { key: apiKey })).body as {
      items: Array<{ id: string; custom: boolean }>;
    };
    expect(listed.items).toContainEqual(expect.objectContaining({ id: 'acme-corp-idp', custom: true }));
    expect(listed.items).toContainEqual(expect.objectContaining({ id: 'github', custom: false }));

    const ac = await gh.call('POST', '/v1/auth-configs', {
      key: apiKey,
      body: { providerId: 'acme-corp-idp', ...client },
    });
    expect(ac.status, ac.text).toBe(201);
    expect(ac.text).not.toContain(client.clientSecret);
    const authConfigId = (ac.body as { id: string }).id;

    const before = Date.now();
    const outcome = await connectUser(gh, apiKey, { userId: 'dana', authConfigId }, { username: 'bob' });
    expect(outcome.link.status, JSON.stringify(outcome.link)).toBe('COMPLETED');
    const account = (
      await gh.call('GET', `/v1/connected-accounts/${outcome.link.connectedAccountId}`, { key: apiKey })
    ).body as {
      status: string;
      scopes: string[];
      accessTokenExpiresAt: string;
      upstreamAccount: { id: string; displayName: string };
    };
    expect(account.status).toBe('ACTIVE');
    // Scopes came back comma-separated and were understood.
    expect(account.scopes).toEqual(expect.arrayContaining(['openid', 'tasks:read']));
    // No expires_in: the definition's default lifetime (900 s) was used.
    const lifetime = Date.parse(account.accessTokenExpiresAt) - before;
    expect(lifetime).toBeGreaterThan(890_000);
    expect(lifetime).toBeLessThan(910_000);
    // Identity came from the definition's identity request.
    expect(account.upstreamAccount).toMatchObject({ id: 'bob' });
  });

  it('rejects invalid definitions with the failing path, and built-in ids', async () => {
    const bad = corpDefinition(corp.url) as Record<string, unknown> & { oauth2: Record<string, unknown> };
    const res = await gh.call('PUT', '/v1/providers/broken', {
      key: apiKey,
      body: { ...bad, id: 'broken', oauth2: { ...bad.oauth2, tokenUrl: 'not a url', tokenUrll: 'typo' } },
    });
    expect(res.status).toBe(400);
    const issues = (res.body as { error: { code: string; details: { issues: Array<{ path: string }> } } })
      .error;
    expect(issues.code).toBe('invalid_provider');
    expect(issues.details.issues.map((i) => i.path)).toEqual(expect.arrayContaining(['oauth2.tokenUrl']));
    const builtIn = await gh.call('PUT', '/v1/providers/github', {
      key: apiKey,
      body: { ...corpDefinition(corp.url), id: 'github' },
    });
    expect(builtIn.status).toBe(409);
    const mismatch = await gh.call('PUT', '/v1/providers/other-id', {
      key: apiKey,
      body: corpDefinition(corp.url),
    });
    expect(mismatch.status).toBe(400);
  });

  it('a provider in use cannot be deleted; other projects cannot see it', async () => {
    expect((await gh.call('DELETE', '/v1/providers/acme-corp-idp', { key: apiKey })).status).toBe(409);
    const stranger = (await gh.createProject('stranger')).apiKey;
    expect((await gh.call('GET', '/v1/providers/acme-corp-idp', { key: stranger })).status).toBe(404);
    const ac = await gh.call('POST', '/v1/auth-configs', {
      key: stranger,
      body: { providerId: 'acme-corp-idp', clientId: 'x' },
    });
    expect(ac.status).toBe(404);
  });

  it('an instance that forbids internal providers refuses private-network definitions', async () => {
    const strict = await startTestGatehouse(gh.server.runtime.db, {
      GATEHOUSE_ALLOW_INTERNAL_PROVIDERS: 'false',
    });
    try {
      const key = (await strict.createProject('strict')).apiKey;
      const res = await strict.call('PUT', '/v1/providers/acme-corp-idp', {
        key,
        body: corpDefinition(corp.url),
      });
      expect(res.status).toBe(400);
      expect((res.body as { error: { message: string } }).error.message).toContain('internal');
    } finally {
      await strict.close();
    }
  });
});
