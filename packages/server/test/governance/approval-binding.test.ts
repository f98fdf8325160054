import type { Sandbox } from '@gatehouse/sandbox';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UrlElicitationRequiredError } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApprovalDecisions } from '../../src/approvals/decision-binding.js';
import { SigningKeys } from '../../src/authserver/signing-keys.js';
import { HeadlessBrowser } from '../mcp/support/headless-browser.js';
import { createMcpServer } from '../mcp/support/servers.js';
import { execute, projectWithConnectedUsers, sandboxFor } from '../support/broker.js';
import { Browser } from '../support/connect.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { example, setPolicies } from './support.js';

const VERIFIER = 'http://127.0.0.1:9/app/approvals/verify';

interface ApprovalDetails {
  approvalId: string;
  approvalUrl: string;
}

/**
 * The approval URL is in the agent's tool result. These tests take the agent's side: holding the
 * URL (and a runtime key) must not let it approve its own call wherever a user binding exists.
 */
describeEachDatabase('approvals are decided by the end user, not by the agent holding the link', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let p: Awaited<ReturnType<typeof projectWithConnectedUsers>>;
  let runtimeKey: string;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    const started = await sandboxFor(gh);
    sandbox = started.sandbox;
    p = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice', 'bob']);
    await setPolicies(gh, p.apiKey, [{ policies: example('approval-for-writes') }]);
    const key = await gh.call('POST', '/v1/api-keys', {
      key: p.apiKey,
      body: { name: 'the agent', role: 'runtime' },
    });
    runtimeKey = (key.body as { key: string }).key;
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
  });

  const create = (key: string, title: string, approvalId?: string) =>
    execute(gh, key, 'acme.tasks.create', {
      userId: 'alice',
      arguments: { title },
      ...(approvalId ? { approvalId } : {}),
    });
  const requestApproval = async (title: string): Promise<ApprovalDetails> => {
    const res = await create(runtimeKey, title);
    expect(res.result.error?.code, res.text).toBe('approval_required');
    return res.result.error!.details as unknown as ApprovalDetails;
  };
  const statusOf = async (id: string) =>
    ((await gh.call('GET', `/v1/approvals/${id}`, { key: runtimeKey })).body as { status: string }).status;
  /** What an agent does with the URL: load the page, echo its CSRF token, press a button. */
  const pressOnPage = async (url: string, decision: 'approve' | 'deny', browser = new Browser()) => {
    const page = await browser.fetch(url);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    const key = new URL(url).searchParams.get('key')!;
    const id = new URL(url).pathname.split('/').at(-1)!;
    return browser.fetch(`${gh.url}/approvals/${id}/decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key, csrf, decision }).toString(),
    });
  };
  const confirm = (key: string, id: string, body: Record<string, unknown>) =>
    gh.call('POST', `/v1/approvals/${id}/confirm`, { key, body });

  it('with the app verifier on, the agent pressing Approve only reaches the app; it cannot confirm itself', async () => {
    const put = await gh.call('PUT', '/v1/settings/connect', {
      key: p.apiKey,
      body: { userVerification: { enabled: true, verifierUrl: VERIFIER } },
    });
    expect(put.status, put.text).toBe(200);
    const { approvalId, approvalUrl } = await requestApproval('wire 10k to mallory');

    const pressed = await pressOnPage(approvalUrl, 'approve');
    expect(pressed.status).toBe(303);
    const toApp = new URL(pressed.location!);
    expect(`${toApp.origin}${toApp.pathname}`).toBe(VERIFIER);
    expect(toApp.searchParams.get('approval_id')).toBe(approvalId);
    expect(toApp.searchParams.get('user_id')).toBe('alice');
    const assertion = toApp.searchParams.get('assertion')!;
    expect(await statusOf(approvalId)).toBe('pending');
    expect((await create(runtimeKey, 'wire 10k to mallory', approvalId)).result.error?.code).toBe(
      'approval_pending',
    );

    // The agent has the assertion too (it followed the page); its runtime key cannot confirm.
    const byAgent = await confirm(runtimeKey, approvalId, { userId: 'alice', assertion });
    expect(byAgent.status).toBe(403);
    expect(byAgent.body).toMatchObject({ error: { details: { requiredRole: 'admin' } } });
    expect(await statusOf(approvalId)).toBe('pending');

    // The app confirms only the user signed in to the app: someone else's browser is refused.
    const wrongUser = await confirm(p.apiKey, approvalId, { userId: 'bob', assertion });
    expect(wrongUser.status).toBe(403);
    expect(wrongUser.body).toMatchObject({ error: { code: 'user_mismatch' } });
    const forged = await confirm(p.apiKey, approvalId, {
      userId: 'alice',
      assertion: `${assertion.slice(0, -4)}AAAA`,
    });
    expect(forged.body).toMatchObject({ error: { code: 'invalid_token' } });
    expect(await statusOf(approvalId)).toBe('pending');

    const confirmed = await confirm(p.apiKey, approvalId, { userId: 'alice', assertion });
    expect(confirmed.status, confirmed.text).toBe(200);
    expect(confirmed.body).toMatchObject({
      status: 'approved',
      decidedBy: { kind: 'verified_user', userId: 'alice' },
    });
    expect((await confirm(p.apiKey, approvalId, { userId: 'alice', assertion })).body).toMatchObject({
      error: { code: 'conflict' },
    });
    expect((await create(runtimeKey, 'wire 10k to mallory', approvalId)).result.successful).toBe(true);
  });

  it('the decision travels in the signed assertion: a Deny pressed on the page cannot become an approval', async () => {
    const { approvalId, approvalUrl } = await requestApproval('delete the archive');
    const pressed = await pressOnPage(approvalUrl, 'deny');
    const assertion = new URL(pressed.location!).searchParams.get('assertion')!;
    const other = await requestApproval('another call');
    // An assertion is bound to its approval.
    expect((await confirm(p.apiKey, other.approvalId, { userId: 'alice', assertion })).body).toMatchObject({
      error: { code: 'invalid_token', message: 'The decision assertion is for another approval.' },
    });
    const confirmed = await confirm(p.apiKey, approvalId, { userId: 'alice', assertion });
    expect(confirmed.body).toMatchObject({ status: 'denied' });
    expect((await create(runtimeKey, 'delete the archive', approvalId)).result.error?.code).toBe(
      'approval_denied',
    );
  });

  it('in production without a user binding the page only shows the call; the app (admin key) decides', async () => {
    await gh.call('PUT', '/v1/settings/connect', {
      key: p.apiKey,
      body: { userVerification: { enabled: false } },
    });
    // The runtime's own decision rules, as a production configuration builds them.
    const rt = gh.server.runtime;
    const development = rt.approvalDecisions;
    rt.approvalDecisions = new ApprovalDecisions({
      approvals: rt.approvals,
      settings: rt.connectSettings,
      signingKeys: new SigningKeys(rt.db, rt.vault),
      logins: undefined,
      issuer: gh.url,
      production: true,
    });
    try {
      const { approvalId, approvalUrl } = await requestApproval('production write');
      const page = await new Browser().fetch(approvalUrl);
      expect(page.status).toBe(200);
      expect(page.text).toContain('Your app decides this request');
      expect(page.text).not.toContain('name="decision"');
      const pressed = await pressOnPage(approvalUrl, 'approve');
      expect(pressed.status).toBe(403);
      expect(await statusOf(approvalId)).toBe('pending');
      const byAgent = await gh.call('POST', `/v1/approvals/${approvalId}/approve`, { key: runtimeKey });
      expect(byAgent.status).toBe(403);
      const byApp = await gh.call('POST', `/v1/approvals/${approvalId}/approve`, { key: p.apiKey });
      expect(byApp.body).toMatchObject({ status: 'approved', decidedBy: { kind: 'api_key' } });
    } finally {
      rt.approvalDecisions = development;
    }
  });

  it('in development, without a binding, the link alone decides (documented as unsafe against the agent)', async () => {
    const { approvalId, approvalUrl } = await requestApproval('dev write');
    const pressed = await pressOnPage(approvalUrl, 'approve');
    expect(pressed.status).toBe(200);
    expect(pressed.text).toContain('Approved');
    expect((await gh.call('GET', `/v1/approvals/${approvalId}`, { key: p.apiKey })).body).toMatchObject({
      decidedBy: { kind: 'approval_link', userId: 'alice' },
    });
  });

  it('asked over MCP with a sign-in: only alice, signed in at the server profile, decides; URL elicitation carries the link', async () => {
    const server = await createMcpServer(gh, p.apiKey);
    const minted = await gh.call('POST', '/v1/mcp/sessions', {
      key: p.apiKey,
      body: { userId: 'alice', serverId: server.id },
    });
    const { url, credential } = minted.body as { url: string; credential: string };
    const connect = async (elicitation: boolean) => {
      const client = new Client(
        { name: 'agent', version: '1.0.0' },
        elicitation ? { capabilities: { elicitation: { url: {} } } } : {},
      );
      await client.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: { authorization: `Bearer ${credential}` } },
        }),
      );
      return client;
    };
    const client = await connect(true);
    const args = { title: 'signed-in approval' };
    const first = await client
      .callTool({ name: 'acme.tasks.create', arguments: args })
      .catch((e: unknown) => e);
    expect(first).toBeInstanceOf(UrlElicitationRequiredError);
    const [elicitation] = (first as UrlElicitationRequiredError).elicitations;
    expect(elicitation).toMatchObject({ mode: 'url', elicitationId: expect.stringMatching(/^apr_/) });
    const approvalUrl = elicitation!.url;
    expect(approvalUrl).toMatch(new RegExp(`^${gh.url}/approvals/apr_`));
    const approvalId = elicitation!.elicitationId;

    // The agent (no sign-in): sent to sign in, and a hand-made CSRF pair does not decide either.
    const agentView = await new Browser().fetch(approvalUrl);
    expect(agentView.status).toBe(303);
    expect(agentView.location).toContain(`/as/${server.id}/login?return_to=`);
    const forgedCsrf = 'a'.repeat(32);
    const forged = await fetch(`${gh.url}/approvals/${approvalId}/decision`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `gatehouse_csrf=${forgedCsrf}`,
      },
      body: new URLSearchParams({
        key: new URL(approvalUrl).searchParams.get('key')!,
        csrf: forgedCsrf,
        decision: 'approve',
      }).toString(),
    });
    expect(forged.status).toBe(303);
    expect(await statusOf(approvalId)).toBe('pending');

    // Bob, signed in at the same profile, is refused.
    const bob = await new HeadlessBrowser().drive(approvalUrl, { stopAt: () => false, user: 'bob' });
    expect('page' in bob && bob.page.status).toBe(403);
    expect(await statusOf(approvalId)).toBe('pending');

    // Alice signs in and approves.
    const alice = await new HeadlessBrowser().drive(approvalUrl, { stopAt: () => false, user: 'alice' });
    expect('page' in alice && alice.page.html).toContain('Approved');
    expect((await gh.call('GET', `/v1/approvals/${approvalId}`, { key: p.apiKey })).body).toMatchObject({
      status: 'approved',
      decidedBy: { kind: 'signed_in_user', userId: 'alice', realm: server.id },
    });
    const retried = await client.callTool({ name: 'acme.tasks.create', arguments: args });
    expect(retried.isError).toBeFalsy();
    await client.close();

    // A client without URL elicitation gets the link in a tool error instead.
    const plain = await connect(false);
    const answer = await plain.callTool({
      name: 'acme.tasks.create',
      arguments: { title: 'no elicitation' },
    });
    expect(answer.isError).toBe(true);
    expect(answer.structuredContent).toMatchObject({
      error: { code: 'approval_required', approvalUrl: expect.stringContaining('/approvals/apr_') },
    });
    await plain.close();
  });
});
