import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import {
  AssertingAgent,
  claimsOf,
  type DelegationView,
  exchange,
  exchanged,
  registerAgent,
  TestIdp,
  TYPE,
  trustIdp,
} from '../support/delegation.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

describeEachDatabase('delegation: the token endpoint (RFC 8693) and agent assertions (RFC 7523)', (t) => {
  let gh: TestGatehouse;
  let idp: TestIdp;
  let adminKey: string;
  let urls: DelegationView;
  let supportKey: string;
  let summariser: AssertingAgent;
  let triager: AssertingAgent;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    idp = await TestIdp.start();
    ({ apiKey: adminKey } = await gh.createProject('support desk'));
    urls = await trustIdp(gh, adminKey, idp, { maxDepth: 2 });
    supportKey = await registerAgent(gh, adminKey, 'support-agent');
    summariser = await AssertingAgent.register(gh, adminKey, 'summariser');
    triager = await AssertingAgent.register(gh, adminKey, 'triager');
  });
  afterAll(async () => {
    await gh?.close();
    await idp?.close();
  });

  const asSupport = { actor_token_type: TYPE.agentKey };
  const aliceFor = async (actor: string, form: Record<string, string> = {}, claims = {}) =>
    exchange(urls.tokenEndpoint, {
      subject_token: await idp.userToken('alice', claims),
      subject_token_type: TYPE.jwt,
      actor_token: actor,
      ...asSupport,
      ...form,
    });

  it('the project token endpoint issues a short-lived, audience-bound token naming user and agent', async () => {
    const res = await aliceFor(supportKey);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      issued_token_type: TYPE.accessToken,
      token_type: 'Bearer',
      scope: 'tools:read tools:write proxy',
    });
    expect(Number(res.body.expires_in)).toBeLessThanOrEqual(urls.tokenTtlSeconds);
    const claims = claimsOf(res.body.access_token!);
    expect(claims).toMatchObject({
      iss: urls.issuer,
      sub: 'alice',
      aud: urls.apiAudience,
      act: { sub: 'support-agent' },
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBeLessThanOrEqual(urls.tokenTtlSeconds);
  });

  it('may_act in the user token names who may act: another agent is refused', async () => {
    const allowed = await aliceFor(supportKey, {}, { may_act: { sub: 'support-agent' } });
    expect(allowed.status).toBe(200);
    const refused = await exchange(urls.tokenEndpoint, {
      subject_token: await idp.userToken('alice', { may_act: { sub: 'support-agent' } }),
      subject_token_type: TYPE.jwt,
      actor_token: await triager.assertion(urls.tokenEndpoint),
      actor_token_type: TYPE.jwt,
    });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: 'invalid_request' });
    expect(refused.body.error_description).toContain('may_act');
    const malformed = await aliceFor(supportKey, {}, { may_act: 'support-agent' });
    expect(malformed.status).toBe(400);
  });

  it('an agent assertion is single-use: the replay is refused', async () => {
    const assertion = await summariser.assertion(urls.tokenEndpoint);
    const form = async () => ({
      subject_token: await idp.userToken('alice'),
      subject_token_type: TYPE.jwt,
      actor_token: assertion,
      actor_token_type: TYPE.jwt,
    });
    const first = await exchange(urls.tokenEndpoint, await form());
    expect(first.status).toBe(200);
    expect(claimsOf(first.body.access_token!).act).toEqual({ sub: 'summariser' });
    const replay = await exchange(urls.tokenEndpoint, await form());
    expect(replay.status).toBe(400);
    expect(replay.body.error_description).toContain('already used');
  });

  it('assertions must be short-lived, for this token endpoint, with iss = sub, signed by a registered key', async () => {
    const cases: Array<[string, Promise<string>]> = [
      ['lives longer than 300 s', summariser.assertion(urls.tokenEndpoint, { lifetime: 3600 })],
      ['aud claim', summariser.assertion('https://elsewhere.example/token')],
      ['iss and sub', summariser.assertion(urls.tokenEndpoint, { iss: 'someone-else' })],
    ];
    const stranger = await generateKeyPair('ES256');
    const now = Math.floor(Date.now() / 1000);
    cases.push([
      'signature',
      new SignJWT({})
        .setProtectedHeader({ alg: 'ES256' })
        .setIssuer('summariser')
        .setSubject('summariser')
        .setAudience(urls.tokenEndpoint)
        .setJti(randomUUID())
        .setExpirationTime(now + 60)
        .sign(stranger.privateKey),
    ]);
    for (const [reason, assertion] of cases) {
      const res = await exchange(urls.tokenEndpoint, {
        subject_token: await idp.userToken('alice'),
        subject_token_type: TYPE.jwt,
        actor_token: await assertion,
        actor_token_type: TYPE.jwt,
      });
      expect(res.status, reason).toBe(400);
      expect(res.body.error_description, reason).toContain(reason);
    }
  });

  it('an agent may register a JWKS URL instead of a key; its assertions verify through it', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] });
    const server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(jwks),
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      await registerAgent(gh, adminKey, 'remote-agent');
      const registered = await gh.call('POST', '/v1/agents/remote-agent/public-keys', {
        key: adminKey,
        body: { jwksUri: `http://127.0.0.1:${port}/jwks.json` },
      });
      expect(registered.status).toBe(201);
      const now = Math.floor(Date.now() / 1000);
      const assertion = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
        .setIssuer('remote-agent')
        .setSubject('remote-agent')
        .setAudience(urls.tokenEndpoint)
        .setJti(randomUUID())
        .setExpirationTime(now + 60)
        .sign(privateKey);
      const token = await exchanged(urls.tokenEndpoint, {
        subject_token: await idp.userToken('alice'),
        subject_token_type: TYPE.jwt,
        actor_token: assertion,
        actor_token_type: TYPE.jwt,
      });
      expect(claimsOf(token).act).toEqual({ sub: 'remote-agent' });
    } finally {
      server.close();
    }
  });

  it('a public key must be public: a private JWK is refused and never stored', async () => {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const res = await gh.call('POST', '/v1/agents/summariser/public-keys', {
      key: adminKey,
      body: { jwk: await exportJWK(privateKey) },
    });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain((await exportJWK(privateKey)).d);
  });

  it("user tokens: only trusted issuers, with the configured audience, unexpired and signed by the issuer's keys", async () => {
    const other = await TestIdp.start();
    try {
      const unknown = await exchange(urls.tokenEndpoint, {
        subject_token: await other.userToken('alice'),
        subject_token_type: TYPE.jwt,
        actor_token: supportKey,
        ...asSupport,
      });
      expect(unknown.body.error_description).toContain('is not trusted by this project');
      const wrongAudience = await exchange(urls.tokenEndpoint, {
        subject_token: await idp.userToken('alice', {}, { audience: 'another-app' }),
        subject_token_type: TYPE.jwt,
        actor_token: supportKey,
        ...asSupport,
      });
      expect(wrongAudience.body.error_description).toContain('aud');
      const expired = await exchange(urls.tokenEndpoint, {
        subject_token: await idp.userToken('alice', {}, { expiresIn: -60 }),
        subject_token_type: TYPE.jwt,
        actor_token: supportKey,
        ...asSupport,
      });
      expect(expired.body.error_description).toContain('expired');
      // The other IdP signs a token claiming to come from the trusted one.
      const [, , sig] = (await other.userToken('alice')).split('.');
      const [h, p] = (await idp.userToken('alice')).split('.');
      const forged = await exchange(urls.tokenEndpoint, {
        subject_token: `${h}.${p}.${sig}`,
        subject_token_type: TYPE.jwt,
        actor_token: supportKey,
        ...asSupport,
      });
      expect(forged.body.error_description).toContain('signature');
      for (const res of [unknown, wrongAudience, expired, forged]) {
        expect(res.status).toBe(400);
        expect(res.body.error).toBe('invalid_request');
      }
    } finally {
      await other.close();
    }
  });

  it('re-exchange narrows scope, never widens it', async () => {
    const readOnly = await exchanged(urls.tokenEndpoint, {
      subject_token: await idp.userToken('alice'),
      subject_token_type: TYPE.jwt,
      actor_token: supportKey,
      ...asSupport,
      scope: 'tools:read',
    });
    const wider = await exchange(urls.tokenEndpoint, {
      subject_token: readOnly,
      subject_token_type: TYPE.accessToken,
      actor_token: await summariser.assertion(urls.tokenEndpoint),
      actor_token_type: TYPE.jwt,
      scope: 'tools:read tools:write',
    });
    expect(wider.status).toBe(400);
    expect(wider.body).toMatchObject({ error: 'invalid_scope' });
    const same = await exchanged(urls.tokenEndpoint, {
      subject_token: readOnly,
      subject_token_type: TYPE.accessToken,
      actor_token: await summariser.assertion(urls.tokenEndpoint),
      actor_token_type: TYPE.jwt,
    });
    expect(claimsOf(same)).toMatchObject({
      scope: 'tools:read',
      act: { sub: 'summariser', act: { sub: 'support-agent' } },
    });
    // Never outlives the token it came from.
    expect(Number(claimsOf(same).exp)).toBeLessThanOrEqual(Number(claimsOf(readOnly).exp));
  });

  it('the chain is bounded by the project depth limit', async () => {
    const first = await exchanged(urls.tokenEndpoint, {
      subject_token: await idp.userToken('alice'),
      subject_token_type: TYPE.jwt,
      actor_token: supportKey,
      ...asSupport,
    });
    const second = await exchanged(urls.tokenEndpoint, {
      subject_token: first,
      subject_token_type: TYPE.accessToken,
      actor_token: await summariser.assertion(urls.tokenEndpoint),
      actor_token_type: TYPE.jwt,
    });
    const third = await exchange(urls.tokenEndpoint, {
      subject_token: second,
      subject_token_type: TYPE.accessToken,
      actor_token: await triager.assertion(urls.tokenEndpoint),
      actor_token_type: TYPE.jwt,
    });
    expect(third.status).toBe(400);
    expect(third.body.error_description).toContain('3 agents deep; this project allows 2');
  });

  it('actors: a project key is not an agent, and an agent of another project is refused', async () => {
    const projectKey = await aliceFor(adminKey);
    expect(projectKey.status).toBe(400);
    expect(projectKey.body.error_description).toContain('not an agent');
    const elsewhere = await gh.createProject('elsewhere');
    const foreign = await registerAgent(gh, elsewhere.apiKey, 'support-agent');
    const res = await aliceFor(foreign);
    expect(res.status).toBe(400);
    expect(res.body.error_description).toContain('not a valid agent key of this project');
  });

  it('a deleted agent can no longer obtain tokens with its key or its assertions', async () => {
    const key = await registerAgent(gh, adminKey, 'short-lived');
    const assertingAgent = await AssertingAgent.register(gh, adminKey, 'short-lived-2');
    await gh.call('DELETE', '/v1/agents/short-lived', { key: adminKey });
    await gh.call('DELETE', '/v1/agents/short-lived-2', { key: adminKey });
    expect((await aliceFor(key)).status).toBe(400);
    const res = await exchange(urls.tokenEndpoint, {
      subject_token: await idp.userToken('alice'),
      subject_token_type: TYPE.jwt,
      actor_token: await assertingAgent.assertion(urls.tokenEndpoint),
      actor_token_type: TYPE.jwt,
    });
    expect(res.status).toBe(400);
  });

  it('a runtime key or an agent key cannot configure trusted issuers or register agent keys', async () => {
    const created = await gh.call('POST', '/v1/api-keys', {
      key: adminKey,
      body: { name: 'runtime', role: 'runtime' },
    });
    const runtimeKey = (created.body as { key: string }).key;
    const body = {
      trustedIssuers: [
        { issuer: 'https://evil.example', jwksUri: 'https://evil.example/jwks', audience: 'x' },
      ],
    };
    for (const key of [runtimeKey, supportKey]) {
      const put = await gh.call('PUT', '/v1/settings/delegation', { key, body });
      expect(put.status).toBe(403);
      expect(put.body).toMatchObject({ error: { code: 'forbidden', details: { requiredRole: 'admin' } } });
      const pk = await gh.call('POST', '/v1/agents/summariser/public-keys', {
        key,
        body: { jwksUri: 'https://evil.example/jwks' },
      });
      expect(pk.status).toBe(403);
    }
    const settings = await gh.call('GET', '/v1/settings/delegation', { key: adminKey });
    expect(JSON.stringify(settings.body)).not.toContain('evil.example');
  });

  it('the token endpoint takes forms only, each parameter once, and names unsupported grants', async () => {
    const json = await fetch(urls.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'x' }),
    });
    expect(json.status).toBe(400);
    expect(await json.json()).toMatchObject({ error: 'invalid_request' });
    const twice = await fetch(urls.tokenEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=a&grant_type=b',
    });
    expect(await twice.json()).toMatchObject({ error: 'invalid_request' });
    const grant = await exchange(urls.tokenEndpoint, { grant_type: 'client_credentials' });
    expect(grant.body).toMatchObject({ error: 'unsupported_grant_type' });
    const target = await aliceFor(supportKey, { audience: 'https://elsewhere.example/api' });
    expect(target.body).toMatchObject({ error: 'invalid_target' });
  });
});

describeEachDatabase('delegation: key set URLs follow the outbound address policy', (t) => {
  let gh: TestGatehouse;
  beforeAll(async () => {
    gh = await startTestGatehouse(t.db(), { GATEHOUSE_ALLOW_INTERNAL_PROVIDERS: 'false' });
  });
  afterAll(async () => {
    await gh?.close();
  });

  it('a loopback or metadata-service JWKS URL is refused for trusted issuers and agent keys', async () => {
    const { apiKey } = await gh.createProject('strict');
    await registerAgent(gh, apiKey, 'agent-1');
    for (const jwksUri of [
      'https://127.0.0.1/jwks.json',
      'https://169.254.169.254/keys',
      'https://localhost/jwks',
    ]) {
      const settings = await gh.call('PUT', '/v1/settings/delegation', {
        key: apiKey,
        body: { trustedIssuers: [{ issuer: 'https://idp.example', jwksUri, audience: 'app' }] },
      });
      expect(settings.status, jwksUri).toBe(400);
      expect(settings.body).toMatchObject({ error: { code: 'address_not_allowed' } });
      const key = await gh.call('POST', '/v1/agents/agent-1/public-keys', { key: apiKey, body: { jwksUri } });
      expect(key.status, jwksUri).toBe(400);
    }
  });
});
