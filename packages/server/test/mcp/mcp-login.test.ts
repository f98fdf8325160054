import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { dumpDatabase } from '../support/connect.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { HeadlessBrowser } from './support/headless-browser.js';
import { authorizeUrl, pkce, registerClient } from './support/oauth.js';
import { CLIENT_REDIRECT, createMcpServer, type McpServerView } from './support/servers.js';

const APP = 'https://app.example.com';

/** The developer's app, as Gatehouse sees it: a login URL that receives a nonce and a return address. */
async function toAppLogin(server: McpServerView, browser: HeadlessBrowser) {
  const clientId = String((await registerClient(server)).body.client_id);
  const driven = await browser.drive(
    authorizeUrl(server, {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: CLIENT_REDIRECT,
      code_challenge: pkce().challenge,
      code_challenge_method: 'S256',
    }),
    { stopAt: (u) => u.origin === APP, user: 'unused' },
  );
  if (!('stoppedAt' in driven)) throw new Error('expected a redirect to the app');
  return {
    nonce: driven.stoppedAt.searchParams.get('gatehouse_nonce')!,
    returnTo: driven.stoppedAt.searchParams.get('gatehouse_return_to')!,
    at: driven.stoppedAt,
  };
}

const sign = (
  claims: Record<string, unknown>,
  key: Parameters<SignJWT['sign']>[0],
  alg = 'HS256',
  ttl = 120,
) => new SignJWT(claims).setProtectedHeader({ alg }).setIssuedAt().setExpirationTime(`${ttl}s`).sign(key);

/** Sends the browser back with the assertion and follows to the MCP client's redirect (or an error page). */
async function handBack(browser: HeadlessBrowser, returnTo: string, assertion: string) {
  const url = `${returnTo}?assertion=${encodeURIComponent(assertion)}`;
  return browser.drive(url, { stopAt: (u) => u.origin === new URL(CLIENT_REDIRECT).origin, user: 'unused' });
}

describeEachDatabase('MCP sign-in by a signed hand-off from the developer’s app', (t) => {
  let gh: TestGatehouse;
  let secretServer: McpServerView;
  let jwkServer: McpServerView;
  const secret = randomBytes(32).toString('base64url');
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    const { apiKey } = await gh.createProject('hand-off');
    secretServer = await createMcpServer(gh, apiKey, {
      login: { type: 'handoff', loginUrl: `${APP}/gatehouse-login`, secret },
    });
    const pair = await generateKeyPair('ES256', { extractable: true });
    privateKey = pair.privateKey;
    jwkServer = await createMcpServer(gh, apiKey, {
      login: {
        type: 'handoff',
        loginUrl: `${APP}/gatehouse-login`,
        publicJwk: { ...(await exportJWK(pair.publicKey)), alg: 'ES256' },
      },
    });
  });
  afterAll(async () => gh?.close());

  it('the app signs dana in with an HS256 hand-off; the same hand-off cannot be used twice', async () => {
    expect(secretServer.login).toMatchObject({
      type: 'handoff',
      key: 'secret',
      audience: secretServer.authorizationServer,
      returnUrl: `${secretServer.authorizationServer}/login/handoff`,
    });
    expect(JSON.stringify(secretServer)).not.toContain(secret);
    expect(await dumpDatabase(gh.server.runtime.db)).not.toContain(secret);

    const browser = new HeadlessBrowser();
    const { nonce, returnTo } = await toAppLogin(secretServer, browser);
    expect(returnTo).toBe(`${secretServer.authorizationServer}/login/handoff`);
    const assertion = await sign(
      { sub: 'dana', aud: secretServer.authorizationServer, nonce },
      new TextEncoder().encode(secret),
    );
    const pages: string[] = [];
    const done = await browser.drive(`${returnTo}?assertion=${encodeURIComponent(assertion)}`, {
      stopAt: (u) => u.origin === new URL(CLIENT_REDIRECT).origin,
      user: 'unused',
      onPage: (p) => pages.push(p.html),
    });
    expect('stoppedAt' in done && done.stoppedAt.searchParams.get('code')).toMatch(/^gth_ac_/);
    expect(pages[0]).toContain('<code>dana</code>'); // the consent page names the signed-in user
    const replay = await handBack(browser, returnTo, assertion);
    expect('page' in replay && replay.page.html).toContain('already used');
  });

  it('hand-offs with the wrong key, audience, lifetime, or for another browser’s sign-in are refused', async () => {
    const browser = new HeadlessBrowser();
    const { nonce, returnTo } = await toAppLogin(secretServer, browser);
    const key = new TextEncoder().encode(secret);
    const aud = secretServer.authorizationServer;
    const refused = async (assertion: string, b = browser) => {
      const r = await handBack(b, returnTo, assertion);
      return 'page' in r ? r.page.status : 0;
    };
    expect(
      await refused(await sign({ sub: 'dana', aud, nonce }, new TextEncoder().encode('x'.repeat(32)))),
    ).toBe(400);
    expect(await refused(await sign({ sub: 'dana', aud: jwkServer.authorizationServer, nonce }, key))).toBe(
      400,
    );
    expect(await refused(await sign({ sub: 'dana', aud, nonce }, key, 'HS256', 3600))).toBe(400);
    expect(await refused(await sign({ sub: 'dana', aud }, key))).toBe(400);
    // Login CSRF: an attacker's valid hand-off, planted in the victim's browser, does not sign the victim in.
    expect(await refused(await sign({ sub: 'mallory', aud, nonce }, key), new HeadlessBrowser())).toBe(400);
    // None of the refusals spent the attempt: the genuine hand-off still works.
    const ok = await handBack(browser, returnTo, await sign({ sub: 'dana', aud, nonce }, key));
    expect('stoppedAt' in ok).toBe(true);
  });

  it('an app holding a private key signs with ES256 against the profile’s public JWK', async () => {
    const browser = new HeadlessBrowser();
    const { nonce, returnTo } = await toAppLogin(jwkServer, browser);
    const assertion = await sign(
      { sub: 'erin', aud: jwkServer.authorizationServer, nonce },
      privateKey,
      'ES256',
    );
    const done = await handBack(browser, returnTo, assertion);
    expect('stoppedAt' in done && done.stoppedAt.searchParams.get('code')).toBeTruthy();
    // HS256 with the public key as a "secret" (algorithm confusion) is refused.
    const other = new HeadlessBrowser();
    const second = await toAppLogin(jwkServer, other);
    const confused = await sign(
      { sub: 'erin', aud: jwkServer.authorizationServer, nonce: second.nonce },
      new TextEncoder().encode(JSON.stringify(jwkServer.login.publicJwk)),
    );
    const r = await handBack(other, second.returnTo, confused);
    expect('page' in r && r.page.status).toBe(400);
  });
});

describe('MCP sign-in in production', () => {
  let gh: TestGatehouse;
  beforeAll(async () => {
    const db = await openPglite();
    await migrate(db);
    gh = await startTestGatehouse(db, { NODE_ENV: 'production' });
  });
  afterAll(async () => gh?.close());

  it('refuses the development sign-in form, and http identity providers', async () => {
    const { apiKey } = await gh.createProject('prod');
    const dev = await gh.call('POST', '/v1/mcp/servers', {
      key: apiKey,
      // The sandbox's acme toolkit is not in a production catalog: the profile names GitHub's.
      body: { name: 'x', toolkits: ['github'], login: { type: 'dev' } },
    });
    expect(dev.status).toBe(400);
    expect(dev.text).toContain('refused in production');
    const oidc = await gh.call('POST', '/v1/mcp/servers', {
      key: apiKey,
      body: {
        name: 'x',
        toolkits: ['github'],
        login: { type: 'oidc', issuer: 'http://idp.example', clientId: 'c' },
      },
    });
    expect(oidc.status).toBe(400);
    expect(oidc.text).toContain('must use https');
  });
});
