import { afterAll, beforeAll, expect, it } from 'vitest';
import { serverUrls } from '../../src/authserver/urls.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { HeadlessBrowser } from './support/headless-browser.js';
import {
  authorizeUrl,
  initializeMessage,
  mcpPost,
  obtainTokens,
  pkce,
  registerClient,
  tokenRequest,
} from './support/oauth.js';
import { CLIENT_REDIRECT, createMcpServer, type McpServerView } from './support/servers.js';

const stopAtClient = (u: URL) => u.origin === new URL(CLIENT_REDIRECT).origin;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describeEachDatabase('MCP tokens: rotation, reuse detection, revocation, step-up', (t) => {
  let gh: TestGatehouse;
  let server: McpServerView;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    server = await createMcpServer(gh, (await gh.createProject('MCP tokens')).apiKey);
  });
  afterAll(async () => gh?.close());

  it('refresh tokens rotate, and presenting a spent one revokes the whole grant', async () => {
    const { tokens, clientId } = await obtainTokens(server, { user: 'alice' });
    const refresh = (token: string) =>
      tokenRequest(server, { grant_type: 'refresh_token', refresh_token: token, client_id: clientId });
    const next = await refresh(tokens.refresh_token!);
    expect(next.status).toBe(200);
    expect(next.body.refresh_token).not.toBe(tokens.refresh_token);
    const newAccess = String(next.body.access_token);
    expect((await mcpPost(server.url, initializeMessage, bearer(newAccess))).status).toBe(200);

    const replay = await refresh(tokens.refresh_token!);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_grant');
    expect((await refresh(String(next.body.refresh_token))).body.error).toBe('invalid_grant');
    expect((await mcpPost(server.url, initializeMessage, bearer(newAccess))).status).toBe(401);
    // Operators hear about it, without the token itself.
    const warning = gh.logs
      .records()
      .find((r) => r.msg === 'MCP refresh token presented twice: its grant is revoked');
    expect(warning).toMatchObject({
      level: 'warn',
      client_id: clientId,
      family_id: expect.stringMatching(/^mcf_/),
    });
    expect(gh.logs.text()).not.toContain(tokens.refresh_token);
  });

  it('an authorization code works once; its second use revokes what the first issued', async () => {
    const clientId = String((await registerClient(server)).body.client_id);
    const browser = new HeadlessBrowser();
    const codeFor = async (challenge: string) => {
      const driven = await browser.drive(
        authorizeUrl(server, {
          response_type: 'code',
          client_id: clientId,
          redirect_uri: CLIENT_REDIRECT,
          code_challenge: challenge,
          code_challenge_method: 'S256',
        }),
        { stopAt: stopAtClient, user: 'alice' },
      );
      return 'stoppedAt' in driven ? driven.stoppedAt.searchParams.get('code')! : '';
    };
    const exchange = (code: string, verifier: string) =>
      tokenRequest(server, {
        grant_type: 'authorization_code',
        code,
        redirect_uri: CLIENT_REDIRECT,
        client_id: clientId,
        code_verifier: verifier,
      });
    const first = pkce();
    const code = await codeFor(first.challenge);
    const issued = await exchange(code, first.verifier);
    expect(issued.status).toBe(200);
    const access = String(issued.body.access_token);
    expect((await mcpPost(server.url, initializeMessage, bearer(access))).status).toBe(200);
    const replay = await exchange(code, first.verifier);
    expect(replay.body).toMatchObject({ error: 'invalid_grant' });
    expect((await mcpPost(server.url, initializeMessage, bearer(access))).status).toBe(401);
    const refreshed = await tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: String(issued.body.refresh_token),
      client_id: clientId,
    });
    expect(refreshed.body).toMatchObject({ error: 'invalid_grant' });

    // A wrong verifier fails, and spends the code: the right one cannot use it afterwards.
    const second = pkce();
    const another = await codeFor(second.challenge);
    expect((await exchange(another, pkce().verifier)).body.error).toBe('invalid_grant');
    expect((await exchange(another, second.verifier)).body.error).toBe('invalid_grant');
  });

  it('a read-only token gets 403 insufficient_scope for a write tool, naming the scopes to ask for', async () => {
    const { tokens } = await obtainTokens(server, { user: 'alice', scope: 'tools:read' });
    expect(tokens.scope).toBe('tools:read');
    const headers = bearer(tokens.access_token);
    const call = (name: string) =>
      mcpPost(
        server.url,
        { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name, arguments: { title: 'x' } } },
        headers,
      );
    const write = await call('acme.tasks.create');
    expect(write.status).toBe(403);
    expect(write.headers.get('www-authenticate')).toBe(
      `Bearer error="insufficient_scope", error_description="this call needs more access", resource_metadata="${serverUrls(gh.url, server.id).resourceMetadata}", scope="tools:read tools:write"`,
    );
    const read = await call('acme.tasks.list');
    expect(read.status).toBe(200);
  });

  it('the transport’s own answers (202, 406, 415) are the ones the API reference declares', async () => {
    const { tokens } = await obtainTokens(server, { user: 'alice' });
    const headers = bearer(tokens.access_token);
    // A notification (every client sends this one after initialize) is accepted with nothing to answer.
    const note = await mcpPost(server.url, { jsonrpc: '2.0', method: 'notifications/initialized' }, headers);
    expect(note.status).toBe(202);
    expect(note.text).toBe('');
    // A client that cannot read an event stream is refused in JSON-RPC.
    const json = await mcpPost(server.url, initializeMessage, { ...headers, accept: 'application/json' });
    expect(json.status).toBe(406);
    expect(JSON.parse(json.text)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 }, id: null });
    // A body that is not JSON never reaches the transport.
    const plain = await fetch(server.url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'text/plain', accept: 'application/json, text/event-stream' },
      body: 'hello',
    });
    const refused = { status: plain.status, body: await plain.json() };
    expect(refused).toMatchObject({ status: 415, body: { error: { code: 'unsupported_media_type' } } });
    const reference = (await (await fetch(`${gh.url}/openapi.json`)).json()) as {
      paths: Record<string, { post: { responses: Record<string, unknown> } }>;
    };
    expect(Object.keys(reference.paths['/mcp/{serverId}']!.post.responses)).toEqual(
      expect.arrayContaining(['200', '202', '406', '415']),
    );
  });

  it('revoking the refresh token ends the grant at once, access token included', async () => {
    const { tokens, clientId } = await obtainTokens(server, { user: 'alice' });
    expect((await mcpPost(server.url, initializeMessage, bearer(tokens.access_token))).status).toBe(200);
    const res = await fetch(`${server.authorizationServer}/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: tokens.refresh_token!, client_id: clientId }).toString(),
    });
    expect(res.status).toBe(200);
    const after = await mcpPost(server.url, initializeMessage, bearer(tokens.access_token));
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('revoked');
  });
});
