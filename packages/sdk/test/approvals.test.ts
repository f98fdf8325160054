import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPglite } from '../../server/src/store/db.js';
import { example, setPolicies } from '../../server/test/governance/support.js';
import { execute, projectWithConnectedUsers, sandboxFor } from '../../server/test/support/broker.js';
import { startTestGatehouse, type TestGatehouse } from '../../server/test/support/gatehouse.js';
import { ApprovalNotGrantedError, Gatehouse } from '../src/index.js';

let gh: TestGatehouse;
let sandbox: Sandbox;
let apiKey: string;
let sdk: Gatehouse;

beforeAll(async () => {
  gh = await startTestGatehouse(await openPglite());
  const started = await sandboxFor(gh);
  sandbox = started.sandbox;
  ({ apiKey } = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice']));
  await setPolicies(gh, apiKey, [{ policies: example('approval-for-writes') }]);
  sdk = new Gatehouse({ baseUrl: gh.url, apiKey });
});
afterAll(async () => {
  await gh?.close();
  await sandbox?.close();
  await gh?.server.runtime.db.close();
});

const createTask = (title: string, approvalId?: string) =>
  execute(gh, apiKey, 'acme.tasks.create', {
    userId: 'alice',
    arguments: { title },
    ...(approvalId ? { approvalId } : {}),
  });

it('the app waits for the decision, then runs the approved call once', async () => {
  const asked = await createTask('approved by a human');
  const { approvalId } = asked.result.error!.details as { approvalId: string };
  const waiting = sdk.approvals.waitForDecision(approvalId, { pollIntervalMs: 20 });
  expect((await sdk.approvals.get(approvalId)).status).toBe('pending');
  await sdk.approvals.approve(approvalId, { approver: 'lead@acme.test' });
  const approval = await waiting;
  expect(approval).toMatchObject({
    status: 'approved',
    tool: 'acme.tasks.create',
    arguments: { title: 'approved by a human' },
  });
  expect(approval.decidedBy).toMatchObject({ kind: 'api_key', approver: 'lead@acme.test' });
  const ran = await createTask('approved by a human', approvalId);
  expect(ran.result.successful).toBe(true);
  expect((await sdk.approvals.get(approvalId)).status).toBe('executed');
  const pending = await sdk.approvals.list({ status: 'pending' });
  expect(pending.items.map((a) => a.id)).not.toContain(approvalId);
});

it('a denial or a timeout rejects with ApprovalNotGrantedError', async () => {
  const denied = (await createTask('no')).result.error!.details as { approvalId: string };
  const waiting = sdk.approvals.waitForDecision(denied.approvalId, { pollIntervalMs: 20 });
  await sdk.approvals.deny(denied.approvalId);
  await expect(waiting).rejects.toMatchObject({ name: 'ApprovalNotGrantedError', code: 'approval_denied' });

  const slow = (await createTask('later')).result.error!.details as { approvalId: string };
  const timedOut = await sdk.approvals
    .waitForDecision(slow.approvalId, { timeoutMs: 50, pollIntervalMs: 10 })
    .catch((e) => e);
  expect(timedOut).toBeInstanceOf(ApprovalNotGrantedError);
  expect(timedOut.code).toBe('timeout');
});
