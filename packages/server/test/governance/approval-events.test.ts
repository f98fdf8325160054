import type { Sandbox } from '@gatehouse/sandbox';
import { type ApprovalWebhookEvent, verifyWebhook } from '@gatehouse/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { execute, projectWithConnectedUsers, sandboxFor } from '../support/broker.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';
import { AGENT, example, setPolicies } from './support.js';

interface ApprovalDetails {
  approvalId: string;
  approvalUrl: string;
}

describeEachDatabase('approval events: the app hears that an approval waits, and how it was decided', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let receiver: WebhookReceiver;
  let p: Awaited<ReturnType<typeof projectWithConnectedUsers>>;
  let secret: string;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db(), { GATEHOUSE_WEBHOOK_INTERVAL_MS: '100' });
    const started = await sandboxFor(gh);
    sandbox = started.sandbox;
    receiver = await startWebhookReceiver();
    p = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice']);
    await setPolicies(gh, p.apiKey, [{ policies: example('approval-for-writes') }]);
    const hook = await gh.call('POST', '/v1/webhooks', {
      key: p.apiKey,
      body: { url: receiver.url, events: ['approval.requested', 'approval.decided'] },
    });
    expect(hook.status, hook.text).toBe(201);
    secret = (hook.body as { secret: string }).secret;
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
    await receiver?.close();
  });

  const requestApproval = async (title: string): Promise<ApprovalDetails> => {
    const res = await execute(
      gh,
      p.apiKey,
      'acme.tasks.create',
      { userId: 'alice', arguments: { title } },
      AGENT,
    );
    expect(res.result.error?.code).toBe('approval_required');
    return res.result.error!.details as unknown as ApprovalDetails;
  };
  const delivered = async (type: string, approvalId: string) => {
    const w = await receiver.waitFor((d) => {
      const e = JSON.parse(d.body) as ApprovalWebhookEvent;
      return e.type === type && e.data.approval?.id === approvalId;
    });
    return {
      event: verifyWebhook({ payload: w.body, header: w.headers['gatehouse-signature'] as string, secret }),
      body: w.body,
    };
  };

  it('a write needing approval sends a signed approval.requested naming the call, never its arguments or link', async () => {
    const { approvalId, approvalUrl } = await requestApproval('pay the caterer');
    const { event, body } = await delivered('approval.requested', approvalId);
    expect(event).toMatchObject({
      type: 'approval.requested',
      data: {
        approval: {
          id: approvalId,
          status: 'pending',
          userId: 'alice',
          agentId: 'planner-1',
          tool: 'acme.tasks.create',
          connectedAccountId: p.accounts.alice,
          decidedBy: null,
        },
      },
    });
    expect(body).not.toContain('pay the caterer');
    expect(body).not.toContain(new URL(approvalUrl).searchParams.get('key')!);
  });

  it('an admin’s approve and deny each send approval.decided with the decision and who made it', async () => {
    const first = await requestApproval('order the flowers');
    const second = await requestApproval('rent the boat');
    const approve = await gh.call('POST', `/v1/approvals/${first.approvalId}/approve`, {
      key: p.apiKey,
      body: { approver: 'ops@acme.test' },
    });
    expect(approve.status, approve.text).toBe(200);
    expect((await gh.call('POST', `/v1/approvals/${second.approvalId}/deny`, { key: p.apiKey })).status).toBe(
      200,
    );

    const approved = (await delivered('approval.decided', first.approvalId)).event as ApprovalWebhookEvent;
    expect(approved.data.approval).toMatchObject({
      status: 'approved',
      decidedBy: { kind: 'api_key', approver: 'ops@acme.test' },
      decidedAt: expect.any(String),
    });
    const denied = (await delivered('approval.decided', second.approvalId)).event as ApprovalWebhookEvent;
    expect(denied.data.approval.status).toBe('denied');

    // A second decision changes nothing and announces nothing.
    expect((await gh.call('POST', `/v1/approvals/${first.approvalId}/deny`, { key: p.apiKey })).status).toBe(
      409,
    );
    const events = await gh.call('GET', '/v1/events?type=approval.decided', { key: p.apiKey });
    const ids = (events.body as { items: ApprovalWebhookEvent[] }).items.map((e) => e.data.approval.id);
    expect(ids.filter((id) => id === first.approvalId)).toHaveLength(1);
  });
});
