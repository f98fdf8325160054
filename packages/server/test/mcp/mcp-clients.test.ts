import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { REGISTRATION_LIMIT } from '../../src/authserver/clients/registration.js';
import { dumpDatabase } from '../support/connect.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { HeadlessBrowser } from './support/headless-browser.js';
import { authorizeUrl, pkce, registerClient, tokenRequest } from './support/oauth.js';
import { CLIENT_REDIRECT, createMcpServer, type McpServerView } from './support/servers.js';

/** A client's metadata documents, served from loopback, counting every request it receives. */
async function documentHost(): Promise<{ url: string; hits: string[]; close(): Promise<void> }> {
  const hits: string[] = [];
  let base = '';
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    const self = `${base}${req.url}`;
    const docs: Record<string, unknown> = {
      '/client.json': { client_id: self, client_name: 'Metadata Client', redirect_uris: [CLIENT_REDIRECT] },
      '/mismatch.json': { client_id: `${base}/someone-else.json`, redirect_uris: [CLIENT_REDIRECT] },
      '/secret.json': { client_id: self, redirect_uris: [CLIENT_REDIRECT], client_secret: 'shh' },
      '/big.json': { client_id: self, redirect_uris: [CLIENT_REDIRECT], padding: 'x'.repeat(6000) },
    };
    const doc = docs[req.url ?? ''];
    res.writeHead(doc ? 200 : 404, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
    res.end(JSON.stringify(doc ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, hits, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describeEachDatabase('MCP clients: dynamic registration and client ID metadata documents', (t) => {
  let gh: TestGatehouse;
  let strict: TestGatehouse;
  let apiKey: string;
  let server: McpServerView;
  let docs: Awaited<ReturnType<typeof documentHost>>;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    // The same database served by an instance that refuses private addresses, as in production.
    strict = await startTestGatehouse(t.db(), { GATEHOUSE_ALLOW_INTERNAL_PROVIDERS: 'false' });
    ({ apiKey } = await gh.createProject('MCP clients'));
    server = await createMcpServer(gh, apiKey);
    docs = await documentHost();
  });
  afterAll(async () => {
    await gh?.close();
    await strict?.close();
    await docs?.close();
  });

  const authorize = async (base: string, clientId: string, challenge = pkce().challenge) => {
    const res = await new HeadlessBrowser().drive(
      authorizeUrl(
        { ...server, authorizationServer: `${base}/as/${server.id}` },
        {
          response_type: 'code',
          client_id: clientId,
          redirect_uri: CLIENT_REDIRECT,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        },
      ),
      { stopAt: (u) => u.origin === new URL(CLIENT_REDIRECT).origin, user: 'alice' },
    );
    return res;
  };

  it('registration refuses unsafe redirect URIs and unknown grant types, with RFC 7591 errors', async () => {
    for (const uri of [
      'http://example.com/cb',
      'javascript:alert(1)',
      'https://app.example/cb#frag',
      'myapp:/cb',
    ]) {
      const res = await registerClient(server, { redirect_uris: [uri] });
      expect(res.status, uri).toBe(400);
      expect(res.body.error).toBe('invalid_redirect_uri');
    }
    const native = await registerClient(server, {
      redirect_uris: ['com.example.app:/oauth/cb', 'http://localhost:9/cb'],
    });
    expect(native.status).toBe(201);
    const grants = await registerClient(server, { grant_types: ['client_credentials'] });
    expect(grants.body.error).toBe('invalid_client_metadata');
    expect((await registerClient(server, { redirect_uris: [] })).body.error).toBe('invalid_redirect_uri');
  });

  it('a native client registered on 127.0.0.1 or [::1] signs in on any port it opens; localhost stays exact', async () => {
    const clientId = String(
      (
        await registerClient(server, {
          redirect_uris: ['http://127.0.0.1/callback', 'http://[::1]:8080/cb', 'http://localhost:9/cb'],
        })
      ).body.client_id,
    );
    const start = (redirectUri: string, challenge = pkce().challenge) =>
      authorizeUrl(server, {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: redirectUri,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      });
    // RFC 8252 §7.3: any port on a loopback IP literal; everything else about the URI is exact.
    for (const uri of ['http://127.0.0.1:51234/callback', 'http://[::1]/cb', 'http://localhost:9/cb']) {
      const res = await new HeadlessBrowser().fetch(start(uri));
      expect(res.status, uri).toBe(303);
    }
    for (const uri of [
      'http://localhost:51234/cb',
      'http://127.0.0.1:51234/callback/other',
      'http://127.0.0.1:51234/callback?x=1',
      'https://127.0.0.1:51234/callback',
      'http://127.0.0.2:51234/callback',
    ]) {
      const res = await new HeadlessBrowser().fetch(start(uri));
      expect(res.status, uri).toBe(400);
      expect(res.headers.get('location'), uri).toBeNull();
    }

    // The code goes back to the port asked for; the token request must name that same port (RFC 6749 §4.1.3).
    const browser = new HeadlessBrowser();
    const codeAt = async (redirectUri: string, challenge: string) => {
      const driven = await browser.drive(start(redirectUri, challenge), {
        stopAt: (u) => u.hostname === '127.0.0.1' && u.pathname === '/callback',
        user: 'alice',
      });
      if (!('stoppedAt' in driven)) throw new Error(driven.page.html.slice(0, 300));
      expect(driven.stoppedAt.origin).toBe(new URL(redirectUri).origin);
      return driven.stoppedAt.searchParams.get('code')!;
    };
    const exchange = (code: string, redirectUri: string, verifier: string) =>
      tokenRequest(server, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: redirectUri,
        code_verifier: verifier,
        client_id: clientId,
      });
    const first = pkce();
    const ephemeral = 'http://127.0.0.1:51234/callback';
    const elsewhere = await exchange(
      await codeAt(ephemeral, first.challenge),
      'http://127.0.0.1:51235/callback',
      first.verifier,
    );
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error).toBe('invalid_grant');
    const second = pkce();
    const same = await exchange(await codeAt(ephemeral, second.challenge), ephemeral, second.verifier);
    expect(same.status).toBe(200);
    expect(same.body.access_token).toEqual(expect.any(String));
  });

  it('a confidential client gets its secret once, must present it, and it is stored only hashed', async () => {
    const res = await registerClient(server, { token_endpoint_auth_method: 'client_secret_basic' });
    expect(res.status).toBe(201);
    const { client_id: clientId, client_secret: secret } = res.body as {
      client_id: string;
      client_secret: string;
    };
    expect(secret).toMatch(/^gth_cs_/);
    const { challenge } = pkce();
    const driven = await authorize(gh.url, clientId, challenge);
    expect('stoppedAt' in driven).toBe(true);
    const code = 'stoppedAt' in driven ? driven.stoppedAt.searchParams.get('code')! : '';
    const basic = (s: string) => ({
      authorization: `Basic ${Buffer.from(`${clientId}:${s}`).toString('base64')}`,
    });
    const wrong = await tokenRequest(
      server,
      {
        grant_type: 'authorization_code',
        code,
        redirect_uri: CLIENT_REDIRECT,
        code_verifier: 'x'.repeat(43),
      },
      basic('gth_cs_wrong'),
    );
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_client');
    // RFC 6749 §5.2: the scheme the client used, or should use; never Bearer (a resource server's).
    expect(wrong.headers.get('www-authenticate')).toBe('Basic realm="gatehouse"');
    const withoutSecret = await tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: 'x',
      client_id: clientId,
    });
    expect(withoutSecret.status).toBe(401);
    expect(withoutSecret.headers.get('www-authenticate')).toBe('Basic realm="gatehouse"');
    const inForm = await tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: 'x',
      client_id: clientId,
      client_secret: 'gth_cs_wrong',
    });
    expect(inForm.status).toBe(401);
    expect(inForm.headers.get('www-authenticate')).toBe('Basic realm="gatehouse"');
    const revoke = await fetch(`${server.authorizationServer}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: 'x', client_id: clientId }).toString(),
    });
    expect(revoke.status).toBe(401);
    expect(revoke.headers.get('www-authenticate')).toBe('Basic realm="gatehouse"');
    expect(await dumpDatabase(gh.server.runtime.db)).not.toContain(secret);
    expect(gh.logs.text()).not.toContain(secret);
  });

  it(`registration is rate limited per address: ${REGISTRATION_LIMIT.count} then 429`, async () => {
    const limited = await createMcpServer(gh, apiKey, { name: 'limited' });
    for (let i = 0; i < REGISTRATION_LIMIT.count; i++)
      expect((await registerClient(limited)).status).toBe(201);
    const res = await fetch(`${limited.authorizationServer}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [CLIENT_REDIRECT], token_endpoint_auth_method: 'none' }),
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other profiles are not affected.
    expect((await registerClient(server)).status).toBe(201);
  });

  it('a client identified by its metadata document signs in without registering; the document is fetched once', async () => {
    const clientId = `${docs.url}/client.json`;
    const before = docs.hits.length;
    const pages: string[] = [];
    const { verifier, challenge } = pkce();
    const driven = await new HeadlessBrowser().drive(
      authorizeUrl(server, {
        response_type: 'code',
        client_id: clientId,
        redirect_uri: CLIENT_REDIRECT,
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
      {
        stopAt: (u) => u.origin === new URL(CLIENT_REDIRECT).origin,
        user: 'alice',
        onPage: (p) => pages.push(p.html),
      },
    );
    const consent = pages.find((p) => p.includes('Metadata Client'));
    expect(consent).toContain(`identified by its metadata at <code>${new URL(docs.url).host}</code>`);
    const code = 'stoppedAt' in driven ? driven.stoppedAt.searchParams.get('code')! : '';
    const tokens = await tokenRequest(server, {
      grant_type: 'authorization_code',
      code,
      redirect_uri: CLIENT_REDIRECT,
      code_verifier: verifier,
      client_id: clientId,
    });
    expect(tokens.status).toBe(200);
    expect(docs.hits.length - before).toBe(1);
  });

  it('metadata documents that name another client, carry a secret or are too large are refused', async () => {
    for (const path of ['/mismatch.json', '/secret.json', '/big.json', '/missing.json']) {
      const res = await authorize(gh.url, `${docs.url}${path}`);
      expect('page' in res && res.page.status, path).toBe(400);
      expect('page' in res && res.page.html, path).toContain('invalid_client');
    }
  });

  it('without permission for internal addresses, metadata documents on private or loopback hosts are never fetched', async () => {
    const before = docs.hits.length;
    const port = new URL(docs.url).port;
    for (const clientId of [
      `https://127.0.0.1:${port}/client.json`,
      `https://localhost:${port}/client.json`, // refused after DNS resolution, before connecting
      `https://[::1]:${port}/client.json`,
      'https://169.254.169.254/latest/meta-data',
    ]) {
      const res = await authorize(strict.url, clientId);
      expect('page' in res && res.page.html.match(/<p>[^<]*<\/p>/)?.[0], clientId).toContain(
        'on a private address',
      );
    }
    // Plain http is not a metadata document URL at all here.
    const http = await authorize(strict.url, `${docs.url}/client.json`);
    expect('page' in http && http.page.html).toContain('invalid_client');
    expect(docs.hits.length).toBe(before);
  });
});
