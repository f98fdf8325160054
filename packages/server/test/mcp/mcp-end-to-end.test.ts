import { randomBytes } from 'node:crypto';
import type { Sandbox } from '@gatehouse/sandbox';
import { UrlElicitationRequiredError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execute, sandboxFor, type Task } from '../support/broker.js';
import { createSandboxAuthConfig } from '../support/connect.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { HeadlessBrowser, type Page } from './support/headless-browser.js';
import { connectMcp, MessageLog, TestOAuthProvider } from './support/mcp-client.js';
import { CLIENT_REDIRECT, createMcpServer, type McpServerView } from './support/servers.js';

const textOf = (r: Record<string, unknown>) => (r.content as Array<{ text: string }>)[0]!.text;

describeEachDatabase(
  'MCP end to end: any MCP client, each user’s own tools, signed in at the sandbox',
  (t) => {
    let gh: TestGatehouse;
    let sandbox: Sandbox;
    let apiKey: string;
    let server: McpServerView;

    beforeAll(async () => {
      gh = await startTestGatehouse(t.db());
      const started = await sandboxFor(gh);
      sandbox = started.sandbox;
      ({ apiKey } = await gh.createProject('MCP e2e'));
      await createSandboxAuthConfig(gh, apiKey, sandbox, started.client, {
        defaultScopes: ['openid', 'tasks:read', 'tasks:write'],
      });
      // End users sign in at Gatehouse's authorization server through the sandbox as their identity provider.
      const login = {
        clientId: `gatehouse-login-${randomBytes(3).toString('hex')}`,
        clientSecret: randomBytes(20).toString('hex'),
      };
      server = await createMcpServer(gh, apiKey, {
        name: 'Acme tools',
        login: {
          type: 'oidc',
          issuer: sandbox.issuer,
          clientId: login.clientId,
          clientSecret: login.clientSecret,
        },
      });
      await sandbox.registerClient({
        ...login,
        redirectUris: [String(server.login.redirectUri)],
        tokenEndpointAuthMethod: 'client_secret_basic',
        name: 'Gatehouse sign-in',
      });
    });
    afterAll(async () => {
      await gh?.close();
      await sandbox?.close();
    });

    it('alice’s MCP client registers, she signs in and consents, connects Acme from the elicitation link, and the task is hers', async () => {
      const provider = new TestOAuthProvider(CLIENT_REDIRECT, { client_name: 'Claude-like desktop client' });
      const browser = new HeadlessBrowser();
      const log = new MessageLog();
      const { client, pages } = await connectMcp(server.url, {
        provider,
        browser,
        user: 'alice',
        capabilities: { elicitation: { url: {} } },
        log,
      });
      // Discovery and registration happened: the client holds a registered id and audience-bound tokens.
      expect(String(provider.client?.client_id)).toMatch(/^mcc_/);
      expect(provider.saved?.refresh_token).toMatch(/^gth_rt_/);
      const consent = pages.find((p) => p.url.pathname.endsWith('/authorize/continue'));
      expect(consent?.html).toContain('Claude-like desktop client');
      expect(consent?.html).toContain('127.0.0.1:1'); // the redirect URI's host
      expect(consent?.html).toContain('tools:write');
      expect(consent?.html).toContain('<code>alice</code>');

      const { tools } = await client.listTools();
      const create = tools.find((x) => x.name === 'acme.tasks.create');
      expect(create?.inputSchema).toMatchObject({
        type: 'object',
        properties: { title: expect.any(Object) },
      });
      expect(create?.description).toContain('Not usable yet');

      // Not connected to Acme yet: a URL-mode elicitation carrying a Connect Link.
      const title = `alice via MCP ${randomBytes(3).toString('hex')}`;
      const first = await client
        .callTool({ name: 'acme.tasks.create', arguments: { title } })
        .catch((e: unknown) => e);
      expect(first).toBeInstanceOf(UrlElicitationRequiredError);
      const [elicitation] = (first as UrlElicitationRequiredError).elicitations;
      expect(elicitation).toMatchObject({
        mode: 'url',
        url: expect.stringContaining(`${gh.url}/connect/cl_`),
      });

      // Alice opens it in the browser where she is signed in, and connects her Acme account.
      const opened = await browser.drive(elicitation!.url, { stopAt: () => false, user: 'alice' });
      expect('page' in opened && opened.page.html).toContain('Connected');

      const done = await client.callTool({ name: 'acme.tasks.create', arguments: { title } });
      expect(done.isError).toBeFalsy();
      expect(done.structuredContent).toMatchObject({ title, ownerId: 'alice' });
      expect(JSON.parse(textOf(done))).toMatchObject({ title, ownerId: 'alice' });

      // The task really exists at the sandbox under alice, seen through her own connection.
      const listed = await execute(gh, apiKey, 'acme.tasks.list', {
        userId: 'alice',
        arguments: { limit: 100 },
      });
      expect((listed.result.data as Task[]).find((x) => x.title === title)?.ownerId).toBe('alice');

      // Audit names the MCP client as the acting agent.
      const audit = await gh.call('GET', `/v1/audit?userId=alice&tool=acme.tasks.create`, { key: apiKey });
      const events = (audit.body as { items: Array<{ agentId: string; outcome: string }> }).items;
      expect(events.map((e) => e.outcome)).toEqual(['success', 'authorization_required']);
      expect(events.every((e) => e.agentId === provider.client?.client_id)).toBe(true);
      // The access log line of the MCP request names the call: user, acting client, tool, execution.
      const logged = gh.logs.records().filter((r) => r.msg === 'request' && r.tool === 'acme.tasks.create');
      expect(logged.map((r) => r.outcome)).toEqual(['authorization_required', 'success']);
      expect(logged.at(-1)).toMatchObject({
        user_id: 'alice',
        agent_id: provider.client?.client_id,
        execution_id: expect.stringMatching(/^exe_/),
        status: 200,
        upstream_ms: expect.any(Number), // the time it waited on Acme (the first call never got there)
      });
      expect(logged[0]).toMatchObject({ upstream_ms: null });
      // Its answer said where the time went, as REST answers do; only that call reached Acme.
      expect(log.timings).toEqual([
        expect.stringMatching(/^upstream;dur=[\d.]+;desc="provider API", gatehouse;dur=[\d.]+$/),
      ]);
      expect(log.timings[0]).toContain(`upstream;dur=${logged.at(-1)!.upstream_ms}`);

      // No secret reached an MCP message or a log line: upstream tokens, our refresh and access tokens.
      const upstream = sandbox.issuedTokens();
      const secrets = [
        ...upstream.accessTokens,
        ...upstream.refreshTokens,
        provider.saved!.refresh_token!,
        provider.saved!.access_token,
      ];
      expect(secrets.length).toBeGreaterThan(3);
      const seen = `${log.text()}\n${gh.logs.text()}`;
      for (const secret of secrets) expect(seen).not.toContain(secret);
      expect(log.bodies.length).toBeGreaterThan(3);
    });

    it('a client without URL elicitation gets a tool error with the link, and only the token’s user can complete it', async () => {
      const provider = new TestOAuthProvider(CLIENT_REDIRECT);
      const { client } = await connectMcp(server.url, {
        provider,
        browser: new HeadlessBrowser(),
        user: 'bob',
      });
      const answer = await client.callTool({ name: 'acme.tasks.list', arguments: {} });
      expect(answer.isError).toBe(true);
      const error = (answer.structuredContent as { error: { code: string; connectUrl: string } }).error;
      expect(error.code).toBe('authorization_required');
      expect(textOf(answer)).toContain(error.connectUrl);

      // Carol's browser is sent to sign in first, and once she is signed in as carol the link refuses her.
      const pages: Page[] = [];
      const carol = await new HeadlessBrowser().drive(error.connectUrl, {
        stopAt: () => false,
        user: 'carol',
        onPage: (p) => pages.push(p),
      });
      expect(pages.some((p) => p.url.origin === sandbox.url)).toBe(true); // carol signed in at the identity provider
      expect('page' in carol && carol.page.status).toBe(400);
      expect('page' in carol && carol.page.html).toContain('belongs to another user');
      const status = await gh.call(
        'GET',
        `/v1/connect/links/${new URL(error.connectUrl).pathname.split('/')[2]}`,
        {
          key: apiKey,
        },
      );
      expect(status.body).toMatchObject({
        status: 'FAILED',
        failure: { code: 'user_mismatch' },
        connectedAccountId: null,
      });
    });
  },
);
