import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/store/db.js';
import { migrate } from '../../src/store/migrate.js';
import { artifactPath, hasChromium, launchChromium } from '../support/chromium.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { authorizeUrl, pkce, registerClient, tokenRequest } from './support/oauth.js';
import { createMcpServer, type McpServerView } from './support/servers.js';

describe.skipIf(!hasChromium)(
  'a person signs in and consents to an MCP client in a real browser (Chromium)',
  () => {
    let gh: TestGatehouse;
    let browser: Browser;
    let server: McpServerView;
    let callback: Server;
    let redirectUri: string;

    beforeAll(async () => {
      const db = await openPglite();
      await migrate(db);
      gh = await startTestGatehouse(db);
      server = await createMcpServer(gh, (await gh.createProject('browser')).apiKey, {
        name: 'Task Pilot tools',
      });
      // The MCP client's loopback redirect URI, as a desktop client runs it.
      callback = createServer((_req, res) => res.end('<h1>Client got the answer</h1>'));
      await new Promise<void>((resolve) => callback.listen(0, '127.0.0.1', resolve));
      redirectUri = `http://127.0.0.1:${(callback.address() as AddressInfo).port}/callback`;
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
      await new Promise((resolve) => callback?.close(resolve));
      await gh?.close();
      await gh?.server.runtime.db.close();
    });

    it('sign in → consent naming the client → the client gets a code; next time, signed out, no consent is asked', async () => {
      const clientId = String(
        (await registerClient(server, { client_name: 'Desk Agent', redirect_uris: [redirectUri] })).body
          .client_id,
      );
      const authorize = (challenge: string) =>
        authorizeUrl(server, {
          response_type: 'code',
          client_id: clientId,
          redirect_uri: redirectUri,
          code_challenge: challenge,
          code_challenge_method: 'S256',
          state: 'st',
          resource: server.url,
        });
      const first = pkce();
      const context = await browser.newContext();
      const page = await context.newPage();
      const login = await page.goto(authorize(first.challenge));
      expect(login?.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
      await page.fill('input[name=userId]', 'alice');
      await page.click('button[type=submit]');
      await page.waitForSelector('button[name=decision][value=approve]');
      const text = await page.textContent('body');
      expect(text).toContain('Allow “Desk Agent” to use your tools?');
      expect(text).toContain('has not verified its name');
      expect(text).toContain(new URL(redirectUri).host);
      await page.screenshot({ path: artifactPath('mcp-consent.png') });
      await page.click('button[name=decision][value=approve]');
      await page.waitForURL((u) => u.href.startsWith(redirectUri));
      const code = new URL(page.url()).searchParams.get('code')!;
      expect(new URL(page.url()).searchParams.get('iss')).toBe(server.authorizationServer);
      const exchange = (c: string, verifier: string) =>
        tokenRequest(server, {
          grant_type: 'authorization_code',
          code: c,
          redirect_uri: redirectUri,
          code_verifier: verifier,
          client_id: clientId,
        });
      expect((await exchange(code, first.verifier)).status).toBe(200);
      await context.close();

      // A fresh browser: signed out, so the sign-in form again; alice already approved this client, so
      // the form's POST leads straight back to the client (CSP form-action allows that redirect).
      const second = pkce();
      const fresh = await browser.newContext();
      const again = await fresh.newPage();
      await again.goto(authorize(second.challenge));
      await again.fill('input[name=userId]', 'alice');
      await again.click('button[type=submit]');
      await again.waitForURL((u) => u.href.startsWith(redirectUri));
      const code2 = new URL(again.url()).searchParams.get('code')!;
      expect((await exchange(code2, second.verifier)).status).toBe(200);
      await fresh.close();
    });
  },
);
