import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execute, projectWithConnectedUsers, sandboxFor, type ToolResult } from '../support/broker.js';
import { Browser, dumpDatabase } from '../support/connect.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { AGENT, example, setPolicies } from './support.js';

interface ApprovalDetails {
  approvalId: string;
  approvalUrl: string;
  expiresAt: string;
}

describeEachDatabase('approvals: a policy asks a human, the approved call runs exactly once', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let p: Awaited<ReturnType<typeof projectWithConnectedUsers>>;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    const started = await sandboxFor(gh);
    sandbox = started.sandbox;
    p = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice']);
    await setPolicies(gh, p.apiKey, [{ policies: example('approval-for-writes') }]);
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
  });

  const create = (args: Record<string, unknown>, approvalId?: string) =>
    execute(
      gh,
      p.apiKey,
      'acme.tasks.create',
      { userId: 'alice', arguments: args, ...(approvalId ? { approvalId } : {}) },
      AGENT,
    );
  const requestApproval = async (args: Record<string, unknown>): Promise<ApprovalDetails> => {
    const res = await create(args);
    expect(res.status, res.text).toBe(200);
    expect(res.result).toMatchObject({ successful: false, error: { code: 'approval_required' } });
    return res.result.error!.details as unknown as ApprovalDetails;
  };
  const codeOf = (r: { result: ToolResult }) => r.result.error?.code ?? 'success';
  const upstreamCalls = () => sandbox.stats().apiRequests;

  it('reads run at once; a write answers approval_required with an id, a link and an expiry', async () => {
    const read = await execute(gh, p.apiKey, 'acme.tasks.list', { userId: 'alice', arguments: {} }, AGENT);
    expect(read.result.successful).toBe(true);
    const before = upstreamCalls();
    const details = await requestApproval({ title: 'wire the deposit' });
    expect(details.approvalId).toMatch(/^apr_/);
    expect(details.approvalUrl).toMatch(new RegExp(`^${gh.url}/approvals/${details.approvalId}\\?key=`));
    expect(Date.parse(details.expiresAt)).toBeGreaterThan(Date.now());
    expect(upstreamCalls()).toBe(before);
  });

  it('approve on the hosted page: pending until then, changed arguments refused, then exactly once', async () => {
    const args = { title: 'send the quote', amount: 42 };
    const { approvalId, approvalUrl } = await requestApproval(args);
    expect(codeOf(await create(args, approvalId))).toBe('approval_pending');

    // The page: framing forbidden, a CSRF token bound to a cookie.
    const raw = await fetch(approvalUrl);
    expect(raw.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(await raw.text()).toContain('send the quote');
    const browser = new Browser();
    const page = await browser.fetch(approvalUrl);
    expect(page.status).toBe(200);
    const csrf = /name="csrf" value="([^"]+)"/.exec(page.text)?.[1];
    const key = new URL(approvalUrl).searchParams.get('key')!;
    expect(csrf).toBeDefined();
    const post = (b: Browser, fields: Record<string, string>) =>
      b.fetch(`${gh.url}/approvals/${approvalId}/decision`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      });
    // A forged form from another site has no cookie: refused.
    expect((await post(new Browser(), { key, csrf: csrf!, decision: 'approve' })).status).toBe(403);
    // The right cookie with a wrong key: refused.
    expect((await post(browser, { key: 'x'.repeat(32), csrf: csrf!, decision: 'approve' })).status).toBe(404);
    const approved = await post(browser, { key, csrf: csrf!, decision: 'approve' });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.text).toContain('Approved');

    const before = upstreamCalls();
    expect(codeOf(await create({ ...args, amount: 4200 }, approvalId))).toBe('approval_mismatch');
    expect(upstreamCalls()).toBe(before);
    const ran = await create(args, approvalId);
    expect(ran.result).toMatchObject({ successful: true, data: { title: 'send the quote', amount: 42 } });
    expect(upstreamCalls()).toBe(before + 1);
    expect(codeOf(await create(args, approvalId))).toBe('approval_used');
    expect(upstreamCalls()).toBe(before + 1);

    // Audit: who approved, and which execution used it.
    const audit = await gh.call('GET', '/v1/audit?limit=200', { key: p.apiKey });
    const events = (
      audit.body as { items: Array<{ kind: string; executionId: string; detail: Record<string, unknown> }> }
    ).items;
    expect(
      events.find((e) => e.kind === 'approval.decided' && e.executionId === approvalId)?.detail,
    ).toMatchObject({
      decision: 'approved',
      decidedBy: { kind: 'approval_link', userId: 'alice' },
    });
    expect(events.find((e) => e.executionId === ran.result.executionId)?.detail).toMatchObject({
      approval: { id: approvalId, decidedBy: { kind: 'approval_link', userId: 'alice' } },
    });
    const got = await gh.call('GET', `/v1/approvals/${approvalId}`, { key: p.apiKey });
    expect(got.body).toMatchObject({
      status: 'executed',
      executionId: ran.result.executionId,
      arguments: args,
    });
    // The page after the fact shows the outcome, without buttons.
    expect((await browser.fetch(approvalUrl)).text).not.toContain('name="decision"');
  });

  it('deny through the API (a project admin): the call is refused and the approver is recorded', async () => {
    const args = { title: 'delete everything' };
    const { approvalId } = await requestApproval(args);
    const listed = await gh.call('GET', '/v1/approvals?status=pending', { key: p.apiKey });
    expect((listed.body as { items: Array<{ id: string }> }).items.map((a) => a.id)).toContain(approvalId);
    const denied = await gh.call('POST', `/v1/approvals/${approvalId}/deny`, {
      key: p.apiKey,
      body: { approver: 'ops@acme.test' },
    });
    expect(denied.status, denied.text).toBe(200);
    expect(denied.body).toMatchObject({
      status: 'denied',
      decidedBy: { kind: 'api_key', approver: 'ops@acme.test' },
    });
    const again = await gh.call('POST', `/v1/approvals/${approvalId}/approve`, { key: p.apiKey, body: {} });
    expect(again.status).toBe(409);
    const before = upstreamCalls();
    expect(codeOf(await create(args, approvalId))).toBe('approval_denied');
    expect(upstreamCalls()).toBe(before);
  });

  it('expiry: an approval past its time can be neither decided nor used', async () => {
    const db = gh.server.runtime.db;
    const expire = (id: string) =>
      db.query("UPDATE approvals SET expires_at = now() - interval '1 second' WHERE id = $1", [id]);
    const pending = await requestApproval({ title: 'too late' });
    await expire(pending.approvalId);
    const late = await gh.call('POST', `/v1/approvals/${pending.approvalId}/approve`, { key: p.apiKey });
    expect(late.status).toBe(410);
    expect(late.body).toMatchObject({ error: { code: 'approval_expired' } });
    expect(codeOf(await create({ title: 'too late' }, pending.approvalId))).toBe('approval_expired');

    const approvedThenExpired = await requestApproval({ title: 'approved, then forgotten' });
    await gh.call('POST', `/v1/approvals/${approvedThenExpired.approvalId}/approve`, { key: p.apiKey });
    await expire(approvedThenExpired.approvalId);
    const before = upstreamCalls();
    expect(codeOf(await create({ title: 'approved, then forgotten' }, approvedThenExpired.approvalId))).toBe(
      'approval_expired',
    );
    expect(upstreamCalls()).toBe(before);
    const got = await gh.call('GET', `/v1/approvals/${approvedThenExpired.approvalId}`, { key: p.apiKey });
    expect(got.body).toMatchObject({ status: 'expired' });
  });

  it('two agents racing with one approval: exactly one upstream call', async () => {
    const args = { title: 'only once' };
    const { approvalId } = await requestApproval(args);
    await gh.call('POST', `/v1/approvals/${approvalId}/approve`, { key: p.apiKey });
    const before = upstreamCalls();
    const results = await Promise.all([1, 2, 3, 4].map(() => create(args, approvalId)));
    expect(results.map(codeOf).sort()).toEqual([
      'approval_used',
      'approval_used',
      'approval_used',
      'success',
    ]);
    expect(upstreamCalls()).toBe(before + 1);
  });

  it('another user cannot use alice’s approval; unknown ids and bad input are clear 4xx', async () => {
    const { approvalId } = await requestApproval({ title: 'mine' });
    await gh.call('POST', `/v1/approvals/${approvalId}/approve`, { key: p.apiKey });
    const bob = await execute(gh, p.apiKey, 'acme.tasks.create', {
      userId: 'bob',
      arguments: { title: 'mine' },
      approvalId,
    });
    // bob has no account here: he is sent to connect first, and never reaches the approval.
    expect(bob.result.error?.code).toBe('authorization_required');
    // Another project's key: alice's approval does not exist there.
    const { apiKey: otherKey } = await gh.createProject('someone else');
    expect((await gh.call('GET', `/v1/approvals/${approvalId}`, { key: otherKey })).status).toBe(404);
    expect((await gh.call('POST', `/v1/approvals/${approvalId}/deny`, { key: otherKey })).status).toBe(404);
    expect((await gh.call('GET', '/v1/approvals', { key: otherKey })).body).toMatchObject({ items: [] });
    expect((await gh.call('GET', '/v1/approvals/apr_nope', { key: p.apiKey })).status).toBe(404);
    expect((await gh.call('POST', '/v1/approvals/apr_nope/approve', { key: p.apiKey })).status).toBe(404);
    expect((await gh.call('GET', '/v1/approvals?status=maybe', { key: p.apiKey })).status).toBe(400);
    expect(
      (await gh.call('POST', `/v1/approvals/${approvalId}/approve`, { key: p.apiKey, body: { x: 1 } }))
        .status,
    ).toBe(400);
    expect((await fetch(`${gh.url}/approvals/${approvalId}?key=wrong`)).status).toBe(404);
  });

  it('approval link keys and sensitive arguments never reach logs, audit or the database in clear', async () => {
    const note = 'call me on 555-0199, door code 4471';
    const { approvalId, approvalUrl } = await requestApproval({ title: 'secret keeping', notes: note });
    const key = new URL(approvalUrl).searchParams.get('key')!;
    expect(await (await fetch(approvalUrl)).text()).toContain('door code 4471'); // the approver reads it
    await gh.call('POST', `/v1/approvals/${approvalId}/approve`, { key: p.apiKey });
    const ran = await create({ title: 'secret keeping', notes: note }, approvalId);
    expect(ran.result.successful).toBe(true);
    const audit = await gh.call('GET', '/v1/audit?limit=200', { key: p.apiKey });
    for (const secret of [key, note]) {
      expect(gh.logs.text()).not.toContain(secret);
      expect(audit.text).not.toContain(secret);
      expect(await dumpDatabase(gh.server.runtime.db)).not.toContain(secret);
    }
  });
});
