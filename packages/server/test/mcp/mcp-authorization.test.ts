import { decodeJwt } from 'jose';
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

describeEachDatabase('MCP authorization: audience-bound tokens, PKCE, consent per client, rotation', (t) => {
  let gh: TestGatehouse;
  let projectId: string;
  let server: McpServerView;
  let sibling: McpServerView;
  let foreign: McpServerView;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    let apiKey: string;
    ({ projectId, apiKey } = await gh.createProject('MCP authz'));
    server = await createMcpServer(gh, apiKey, { allowedOrigins: ['https://app.example.com'] });
    sibling = await createMcpServer(gh, apiKey, { name: 'Sibling' });
    const other = await gh.createProject('another tenant');
    foreign = await createMcpServer(gh, other.apiKey, { name: 'Foreign' });
  });
  afterAll(async () => gh?.close());

  it('publishes protected resource and authorization server metadata, S256 and CIMD included', async () => {
    const prm = await gh.call('GET', `/.well-known/oauth-protected-resource/mcp/${server.id}`);
    expect(prm.body).toEqual({
      resource: server.url,
      authorization_servers: [server.authorizationServer],
      scopes_supported: ['tools:read', 'tools:write'],
      bearer_methods_supported: ['header'],
      resource_name: 'Acme tools',
    });
    const as = await gh.call('GET', `/.well-known/oauth-authorization-server/as/${server.id}`);
    expect(as.body).toMatchObject({
      issuer: server.authorizationServer,
      authorization_endpoint: `${server.authorizationServer}/authorize`,
      token_endpoint: `${server.authorizationServer}/token`,
      registration_endpoint: `${server.authorizationServer}/register`,
      revocation_endpoint: `${server.authorizationServer}/revoke`,
      code_challenge_methods_supported: ['S256'],
      authorization_response_iss_parameter_supported: true,
      client_id_metadata_document_supported: true,
      response_types_supported: ['code'],
    });
    const appended = await gh.call('GET', `/as/${server.id}/.well-known/oauth-authorization-server`);
    expect(appended.body).toEqual(as.body);
    expect((await gh.call('GET', '/.well-known/oauth-protected-resource')).status).toBe(404);
    expect(
      (await gh.call('GET', '/.well-known/oauth-protected-resource/mcp/mcs_00000000000000000000000000'))
        .status,
    ).toBe(404);
  });

  it('no token, an expired token, and a token for another resource all get 401 with WWW-Authenticate', async () => {
    const challenge = `resource_metadata="${serverUrls(gh.url, server.id).resourceMetadata}"`;
    const none = await mcpPost(server.url, initializeMessage);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe(`Bearer ${challenge}, scope="tools:read tools:write"`);

    const { tokens } = await obtainTokens(server, { user: 'alice' });
    expect((await mcpPost(server.url, initializeMessage, bearer(tokens.access_token))).status).toBe(200);

    const claims = decodeJwt(tokens.access_token);
    expect(claims).toMatchObject({ aud: server.url, iss: server.authorizationServer, sub: 'alice' });
    const expired = await gh.server.runtime.mcp.authServer.deps.accessTokens.issue(
      projectId,
      serverUrls(gh.url, server.id),
      {
        userId: 'alice',
        clientId: String(claims.client_id),
        scopes: ['tools:read'],
        familyId: String(claims.fam),
      },
      -60,
    );
    const late = await mcpPost(server.url, initializeMessage, bearer(expired.token));
    expect(late.status).toBe(401);
    expect(late.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect(late.headers.get('www-authenticate')).toContain('expired');
    expect(late.headers.get('www-authenticate')).toContain(challenge);

    // A real token for the sibling server (same project, same signing key) is for another audience.
    const other = await obtainTokens(sibling, { user: 'alice' });
    const wrongAudience = await mcpPost(server.url, initializeMessage, bearer(other.tokens.access_token));
    expect(wrongAudience.status).toBe(401);
    expect(wrongAudience.headers.get('www-authenticate')).toContain('another resource');
    // And one from another tenant does not even verify here.
    const theirs = await obtainTokens(foreign, { user: 'alice' });
    expect((await mcpPost(server.url, initializeMessage, bearer(theirs.tokens.access_token))).status).toBe(
      401,
    );
    // Asking this authorization server for another resource is refused outright.
    const target = await tokenRequest(server, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      client_id: String(claims.client_id),
      resource: sibling.url,
    });
    expect(target.body).toMatchObject({ error: 'invalid_target' });
  });

  it('authorization requests without PKCE S256 or for another resource fail back to the client; a wrong redirect URI is never followed', async () => {
    const clientId = String((await registerClient(server)).body.client_id);
    const browser = new HeadlessBrowser();
    const base = { response_type: 'code', client_id: clientId, redirect_uri: CLIENT_REDIRECT, state: 's1' };
    const attempt = async (params: Record<string, string | undefined>) => {
      const res = await browser.fetch(authorizeUrl(server, params));
      return { status: res.status, location: res.headers.get('location'), text: await res.text() };
    };
    const noPkce = await attempt(base);
    expect(noPkce.status).toBe(303);
    const back = new URL(noPkce.location!);
    expect(back.origin + back.pathname).toBe(CLIENT_REDIRECT);
    expect(Object.fromEntries(back.searchParams)).toMatchObject({
      error: 'invalid_request',
      state: 's1',
      iss: server.authorizationServer,
    });
    const { challenge } = pkce();
    const plain = await attempt({ ...base, code_challenge: challenge, code_challenge_method: 'plain' });
    expect(new URL(plain.location!).searchParams.get('error')).toBe('invalid_request');
    const otherResource = await attempt({
      ...base,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      resource: sibling.url,
    });
    expect(new URL(otherResource.location!).searchParams.get('error')).toBe('invalid_target');
    const badScope = await attempt({
      ...base,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      scope: 'admin',
    });
    expect(new URL(badScope.location!).searchParams.get('error')).toBe('invalid_scope');

    for (const redirect of ['https://attacker.example/cb', `${CLIENT_REDIRECT}/extra`, undefined]) {
      const wrong = await attempt({
        ...base,
        code_challenge: challenge,
        code_challenge_method: 'S256',
        redirect_uri: redirect,
      });
      expect(wrong.status).toBe(400);
      expect(wrong.location).toBeNull();
      expect(wrong.text).toMatch(/redirect_uri/);
    }
    const unknownClient = await attempt({
      ...base,
      client_id: 'mcc_00000000000000000000000000',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    });
    expect(unknownClient.status).toBe(400);
    expect(unknownClient.location).toBeNull();
  });

  it('client B never rides on client A’s consent, even with the same name, in the same signed-in browser', async () => {
    const browser = new HeadlessBrowser();
    const a = await obtainTokens(server, { user: 'alice', browser });
    const consented = async (clientId: string, decision: 'approve' | 'deny') => {
      const { challenge } = pkce();
      const pages: string[] = [];
      const driven = await browser.drive(
        authorizeUrl(server, {
          response_type: 'code',
          client_id: clientId,
          redirect_uri: CLIENT_REDIRECT,
          code_challenge: challenge,
          code_challenge_method: 'S256',
          state: 'x',
        }),
        { stopAt: stopAtClient, user: 'alice', consent: decision, onPage: (p) => pages.push(p.url.pathname) },
      );
      if (!('stoppedAt' in driven)) throw new Error('no redirect');
      return { pages, params: Object.fromEntries(driven.stoppedAt.searchParams) };
    };
    // A again: remembered, straight back with a code, no page shown.
    const again = await consented(a.clientId, 'approve');
    expect(again.pages).toEqual([]);
    expect(again.params.code).toMatch(/^gth_ac_/);
    // B, registered under A's very name: asked again, and a refusal is a refusal.
    const b = String((await registerClient(server, { client_name: 'Manual client' })).body.client_id);
    const denied = await consented(b, 'deny');
    expect(denied.pages).toEqual([`/as/${server.id}/authorize`]);
    expect(denied.params).toMatchObject({ error: 'access_denied', iss: server.authorizationServer });
    expect(denied.params.code).toBeUndefined();
  });

  it('a bad Origin gets 403; the configured origin and requests without Origin go on to authentication', async () => {
    const evil = await mcpPost(server.url, initializeMessage, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    const app = await mcpPost(server.url, initializeMessage, { origin: 'https://app.example.com' });
    expect(app.status).toBe(401);
    expect(app.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(app.headers.get('access-control-expose-headers')).toContain('www-authenticate');
    expect((await mcpPost(server.url, initializeMessage)).status).toBe(401);
    // The sibling profile allows no other origin: its own rule applies, not this one's.
    expect(
      (await mcpPost(sibling.url, initializeMessage, { origin: 'https://app.example.com' })).status,
    ).toBe(403);
    const preflight = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example' },
    });
    expect(preflight.status).toBe(403);
  });

  it('an Mcp-Session-Id is honoured only for the user and client it was issued to', async () => {
    const alice = await obtainTokens(server, { user: 'alice' });
    const bob = await obtainTokens(server, { user: 'bob' });
    const init = await mcpPost(server.url, initializeMessage, bearer(alice.tokens.access_token));
    const session = init.headers.get('mcp-session-id')!;
    expect(session).toMatch(/^[A-Za-z0-9]{40}$/);
    const list = { jsonrpc: '2.0', id: 3, method: 'tools/list', params: {} };
    const mine = await mcpPost(server.url, list, {
      ...bearer(alice.tokens.access_token),
      'mcp-session-id': session,
    });
    expect(mine.status).toBe(200);
    const theirs = await mcpPost(server.url, list, {
      ...bearer(bob.tokens.access_token),
      'mcp-session-id': session,
    });
    expect(theirs.status).toBe(404);
  });
});
