import type { Sandbox } from '@gatehouse/sandbox';
import { verifyWebhook } from '@gatehouse/sdk';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/store/db.js';
import { AGENT, example, setPolicies } from '../governance/support.js';
import { execute, projectWithConnectedUsers, sandboxFor } from '../support/broker.js';
import { artifactPath, hasChromium, launchChromium } from '../support/chromium.js';
import { axeScan, csrfOf, signInConsole } from '../support/console.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { eventually, startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.js';

interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  status: string;
  attempts: number;
  redeliveryOf: string | null;
}

const NEW_POLICY = `
@id("planner may not create tasks")
forbid (principal, action == Gatehouse::Action::"acme.tasks.create", resource)
when { context has agent && context.agent.id == "planner-1" };
`;

describe.skipIf(!hasChromium)('console: webhook redeliver and the policy test panel, in Chromium', () => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let receiver: WebhookReceiver;
  let browser: Browser;
  let p: Awaited<ReturnType<typeof projectWithConnectedUsers>>;
  let hook: { id: string; secret: string };
  let viewerKey: string;
  let operator: BrowserContext;
  let admin: BrowserContext;

  const deliveries = async (): Promise<Delivery[]> =>
    (
      (await gh.call('GET', `/v1/webhooks/${hook.id}/deliveries?limit=100`, { key: p.apiKey })).body as {
        items: Delivery[];
      }
    ).items;

  beforeAll(async () => {
    gh = await startTestGatehouse(await openPglite(), { GATEHOUSE_WEBHOOK_INTERVAL_MS: '100' });
    let client: { clientId: string; clientSecret: string };
    ({ sandbox, client } = await sandboxFor(gh));
    receiver = await startWebhookReceiver();
    p = await projectWithConnectedUsers(gh, sandbox, client, ['alice']);
    const created = await gh.call('POST', '/v1/webhooks', { key: p.apiKey, body: { url: receiver.url } });
    expect(created.status, created.text).toBe(201);
    hook = created.body as { id: string; secret: string };
    await setPolicies(gh, p.apiKey, [{ name: 'approvals', policies: example('approval-for-writes') }]);
    // A write held for approval: approval.requested is delivered to the receiver once.
    const write = await execute(
      gh,
      p.apiKey,
      'acme.tasks.create',
      { userId: 'alice', arguments: { title: 'pay invoice 4711' } },
      AGENT,
    );
    expect(write.result.error?.code).toBe('approval_required');
    await eventually(deliveries, (l) => l.some((d) => d.status === 'succeeded'));
    const key = await gh.call('POST', '/v1/api-keys', {
      key: p.apiKey,
      body: { name: 'dash', role: 'runtime' },
    });
    viewerKey = (key.body as { key: string }).key;
    browser = await launchChromium();
    operator = await browser.newContext({ bypassCSP: true });
    admin = await browser.newContext({ bypassCSP: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await gh?.close();
    await sandbox?.close();
    await receiver?.close();
    await gh?.server.runtime.db.close();
  });

  it('an operator redelivers a past delivery: the receiver gets the same event again, validly signed', async () => {
    const page = await signInConsole(gh, operator, p.apiKey, 'operator');
    const [original] = (await deliveries()).filter((d) => d.eventType === 'approval.requested');
    expect(original).toMatchObject({ status: 'succeeded', redeliveryOf: null });
    const first = receiver.received.find((w) => w.headers['gatehouse-event-id'] === original!.eventId)!;
    const seen = receiver.received.length;
    await page.getByRole('navigation').getByRole('link', { name: 'Webhooks' }).click();
    await page.waitForURL(/\/console\/webhooks/);
    await page.getByRole('button', { name: `Redeliver approval.requested delivery ${original!.id}` }).click();
    await page.waitForURL(/notice=redelivered/);
    expect(await page.textContent('[role=status]')).toContain('queued for delivery again');
    const again = await receiver.waitFor(
      (w) => receiver.received.indexOf(w) >= seen && w.headers['gatehouse-event-id'] === original!.eventId,
    );
    expect(again.body).toBe(first.body);
    const event = verifyWebhook({
      payload: again.body,
      header: again.headers['gatehouse-signature'] as string,
      secret: hook.secret,
    });
    expect(event).toMatchObject({ id: original!.eventId, type: 'approval.requested' });
    expect(() =>
      verifyWebhook({
        payload: again.body,
        header: again.headers['gatehouse-signature'] as string,
        secret: 'whsec_wrong',
      }),
    ).toThrow(/signature/);
    const log = await eventually(deliveries, (l) =>
      l.some((d) => d.redeliveryOf === original!.id && d.status === 'succeeded'),
    );
    expect(log.filter((d) => d.redeliveryOf === original!.id)).toHaveLength(1);
    // The page shows it as a redelivery of the original.
    await page.reload();
    expect(await page.textContent('main table')).toContain(`redelivery of ${original!.id}`);
    const audit = await gh.call('GET', '/v1/audit?limit=10', { key: p.apiKey });
    const row = (
      audit.body as { items: Array<{ kind: string; detail: Record<string, unknown> }> }
    ).items.find((e) => e.kind === 'admin.webhook.redelivered');
    expect(row?.detail).toMatchObject({ deliveryId: original!.id, via: 'console' });
    expect(String(row?.detail.apiKeyId)).toMatch(/^console:key:key_/);
    expect(await axeScan(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('console-webhook-redelivered.png'), fullPage: true });
    // A forged form (wrong CSRF token) is refused, and queues nothing.
    const forged = await page.request.post(
      `${gh.url}/console/webhooks/${hook.id}/deliveries/${original!.id}/redeliver`,
      { form: { csrf: 'x'.repeat(32) } },
    );
    expect(forged.status()).toBe(403);
    expect((await deliveries()).filter((d) => d.redeliveryOf === original!.id)).toHaveLength(1);
  });

  it('a viewer sees no enabled redeliver control, and the server refuses its post', async () => {
    const context = await browser.newContext();
    const viewer = await signInConsole(gh, context, viewerKey, 'admin'); // a runtime key is capped to viewer
    expect(await viewer.textContent('.role')).toBe('viewer');
    await viewer.goto(`${gh.url}/console/webhooks`);
    expect(await viewer.locator('tbody tr').count()).toBeGreaterThan(1);
    expect(await viewer.getByRole('button', { name: /Redeliver/ }).count()).toBe(0);
    expect(await viewer.locator('main button:enabled').count()).toBe(0);
    expect(await viewer.textContent('main')).toContain('Operators and admins can redeliver');
    const before = (await deliveries()).length;
    const [original] = (await deliveries()).filter((d) => d.redeliveryOf === null);
    const res = await viewer.request.post(
      `${gh.url}/console/webhooks/${hook.id}/deliveries/${original!.id}/redeliver`,
      { form: { csrf: await csrfOf(viewer) } },
    );
    expect(res.status()).toBe(403);
    expect(await res.text()).toContain('needs the operator role');
    expect((await deliveries()).length).toBe(before);
    // No policy test panel either, and its route refuses a viewer.
    await viewer.goto(`${gh.url}/console/policies`);
    expect(await viewer.locator('#policy-test').count()).toBe(0);
    const test = await viewer.request.post(`${gh.url}/console/policies/test`, {
      form: { csrf: await csrfOf(viewer), userId: 'alice', tool: 'acme.tasks.list' },
    });
    expect(test.status()).toBe(403);
    await context.close();
  });

  async function runTest(page: Page, fields: { agent?: string; tool: string; args: string; draft?: string }) {
    await page.getByLabel('User id (principal)').fill('alice');
    await page.getByLabel('Agent id (optional)').fill(fields.agent ?? '');
    await page.getByLabel('Action (tool slug)').fill(fields.tool);
    await page.getByLabel('Arguments (JSON object)').fill(fields.args);
    if (fields.draft) await page.getByLabel('Draft from').selectOption(fields.draft);
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await page.waitForURL(/\/console\/policies\/test/);
  }

  const resultRows = async (page: Page) =>
    page
      .locator('#policy-test-result tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) =>
          Array.from((r as unknown as { cells: ArrayLike<{ textContent: string }> }).cells, (c) =>
            c.textContent.trim(),
          ),
        ),
      );

  it('policy test panel: an unsaved draft is evaluated by the broker engine next to the version in force', async () => {
    const page = await signInConsole(gh, admin, p.apiKey, 'admin');
    await page.goto(`${gh.url}/console/policies`);
    const editor = page.getByLabel('Cedar policies of set approvals');
    const saved = await editor.inputValue();
    await editor.fill(`${saved}${NEW_POLICY}`);
    await runTest(page, {
      agent: 'planner-1',
      tool: 'acme.tasks.create',
      args: '{"title": "pay invoice 4711"}',
      draft: 'approvals',
    });
    const [draft, enforced] = await resultRows(page);
    expect(draft![0]).toBe('Draft of set approvals (enforce, unsaved)');
    expect(draft![1]).toBe('deny');
    expect(draft![2]).toBe('planner may not create tasks');
    expect(enforced![0]).toBe('Version 1 in force');
    expect(enforced![1]).toBe('approval_required');
    expect(enforced![2]).toBe("changes need the user's approval");
    // The same answers as POST /v1/policies/test: one engine.
    const request = {
      userId: 'alice',
      agentId: 'planner-1',
      tool: 'acme.tasks.create',
      arguments: { title: 'pay invoice 4711' },
    };
    const rest = await gh.call('POST', '/v1/policies/test', { key: p.apiKey, body: { request } });
    expect(rest.body).toMatchObject({ decision: 'approval_required', policies: [enforced![2]] });
    // Nothing was saved; the editor still holds the draft.
    expect(await page.getByLabel('Cedar policies of set approvals').inputValue()).toContain(
      'planner may not create tasks',
    );
    expect(
      ((await gh.call('GET', '/v1/policies', { key: p.apiKey })).body as { version: number }).version,
    ).toBe(1);
    expect(await axeScan(page)).toEqual([]);
    await page.screenshot({ path: artifactPath('console-policy-test.png'), fullPage: true });

    // Another agent is not caught by the draft's forbid: approval required by both.
    await runTest(page, { agent: 'mailer-2', tool: 'acme.tasks.create', args: '{"title": "x"}' });
    expect((await resultRows(page)).map((r) => r[1])).toEqual(['approval_required', 'approval_required']);

    // A draft that does not validate: the error with line and column, in the result and the editor.
    const broken = page.getByLabel('Cedar policies of set approvals');
    await broken.fill(`${saved}\npermit (principal, action, resource) when { context.nope };\n`);
    await runTest(page, { tool: 'acme.tasks.list', args: '{}' });
    const [bad, ok] = await resultRows(page);
    expect(bad![1]).toBe('error');
    expect(bad![3]).toMatch(/invalid_policy.*line \d+, column \d+/s);
    expect(ok![1]).toBe('allow');
    expect(await page.getByRole('alert').first().textContent()).toMatch(/problem/);

    // Bad input is a form error, not an evaluation.
    await runTest(page, { tool: 'acme.tasks.create', args: '{"title": ' });
    expect(await page.textContent('#policy-test-result')).toContain('Arguments: not valid JSON');
    await page.getByLabel('Resource: account attributes (JSON, optional)').fill('{"nope": 1}');
    await runTest(page, { tool: 'acme.tasks.list', args: '{}' });
    expect(await page.textContent('#policy-test-result')).toMatch(/Account attributes: .*nope/);
    await page.getByLabel('Resource: account attributes (JSON, optional)').fill('{"scopes": ["tasks:read"]}');
    await runTest(page, { tool: 'acme.nope.nothing', args: '{}' });
    expect(await page.textContent('#policy-test-result')).toContain('no tool named acme.nope.nothing');
    await runTest(page, { tool: 'acme.tasks.create', args: '{"title": 42}' });
    expect(await page.textContent('#policy-test-result')).toContain('invalid_arguments');
  });

  it('an operator tests against the saved text (the editor is read only for them)', async () => {
    const context = await browser.newContext();
    const page = await signInConsole(gh, context, p.apiKey, 'operator');
    await page.goto(`${gh.url}/console/policies`);
    await runTest(page, { agent: 'planner-1', tool: 'acme.tasks.list', args: '{}', draft: 'approvals' });
    const rows = await resultRows(page);
    expect(rows.map((r) => [r[1], r[2]])).toEqual([
      ['allow', 'reads run at once'],
      ['allow', 'reads run at once'],
    ]);
    // Without scripts the saved text stands in for the draft, and the page says so.
    const res = await page.request.post(`${gh.url}/console/policies/test`, {
      form: { csrf: await csrfOf(page), userId: 'alice', tool: 'acme.tasks.list', draftSet: 'approvals' },
    });
    expect(res.status()).toBe(200);
    expect(await res.text()).toContain('Scripts did not run: the saved text of set approvals');
    await context.close();
  });
});
