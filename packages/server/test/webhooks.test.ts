import type { Sandbox } from '@gatehouse/sandbox';
import { type ConnectionWebhookEvent, Gatehouse, GatehouseApiError, verifyWebhook } from '@gatehouse/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { WebhookService } from '../src/events/webhook-service.js';
import { WebhookStore } from '../src/events/webhook-store.js';
import { execute, type projectWithConnectedUsers, sandboxFor } from './support/broker.js';
import { dumpDatabase } from './support/connect.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { lifecycle } from './support/lifecycle.js';
import { eventually, startWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver.js';

type Acme = Awaited<ReturnType<typeof projectWithConnectedUsers>>;
interface Endpoint {
  id: string;
  url: string;
  events: string[];
  secret?: string;
}

describeEachDatabase('connection events: webhooks and the event log', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let client: { clientId: string; clientSecret: string };
  let receiver: WebhookReceiver;
  let acme: Acme;
  let hook: Endpoint;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db(), {
      GATEHOUSE_REFRESHER_INTERVAL_MS: '200',
      GATEHOUSE_WEBHOOK_INTERVAL_MS: '100',
    });
    ({ sandbox, client } = await sandboxFor(gh));
    receiver = await startWebhookReceiver();
    const { apiKey } = await gh.createProject('events');
    const created = await gh.call('POST', '/v1/webhooks', { key: apiKey, body: { url: receiver.url } });
    expect(created.status).toBe(201);
    hook = created.body as Endpoint;
    // Connect after the endpoint exists, so connection.active is delivered too.
    acme = await projectWithConnectedUsersIn(apiKey);
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
    await receiver?.close();
  });

  async function projectWithConnectedUsersIn(apiKey: string): Promise<Acme> {
    const { connectUser, createSandboxAuthConfig } = await import('./support/connect.js');
    const authConfigId = await createSandboxAuthConfig(gh, apiKey, sandbox, client, {
      defaultScopes: ['openid', 'tasks:read'],
    });
    const accounts: Record<string, string> = {};
    for (const user of ['alice', 'bob', 'carol']) {
      const outcome = await connectUser(gh, apiKey, { userId: user, authConfigId }, { username: user });
      accounts[user] = outcome.link.connectedAccountId!;
    }
    return { apiKey, authConfigId, accounts };
  }

  const deliveryOf = (type: string, accountId: string) =>
    receiver.waitFor((w) => {
      const event = JSON.parse(w.body) as ConnectionWebhookEvent;
      return event.type === type && event.data.connectedAccount.id === accountId;
    });

  it('the signing secret is shown once; listing and reading never show it', async () => {
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9]{40}$/);
    expect(hook.events).toContain('connection.revoked');
    const list = await gh.call('GET', '/v1/webhooks', { key: acme.apiKey });
    const one = await gh.call('GET', `/v1/webhooks/${hook.id}`, { key: acme.apiKey });
    expect(list.text).not.toContain(hook.secret);
    expect(one.text).not.toContain(hook.secret);
    expect((one.body as Endpoint).url).toBe(receiver.url);
  });

  it('a completed connection is announced as connection.active, signed so the SDK helper verifies it', async () => {
    const delivery = await deliveryOf('connection.active', acme.accounts.alice!);
    const event = verifyWebhook({
      payload: delivery.body,
      header: delivery.headers['gatehouse-signature'] as string,
      secret: hook.secret!,
    }) as ConnectionWebhookEvent;
    expect(event.data.connectedAccount).toMatchObject({ userId: 'alice', status: 'ACTIVE' });
    expect(delivery.headers['gatehouse-event-id']).toBe(event.id);
    expect(() =>
      verifyWebhook({
        payload: delivery.body,
        header: delivery.headers['gatehouse-signature'] as string,
        secret: 'whsec_wrong',
      }),
    ).toThrow(/signature/);
  });

  it('the provider revokes carol’s grant: REVOKED within one refresh cycle, a signed webhook, and a reconnect link', async () => {
    const h = lifecycle(gh);
    const projectId = await h.projectIdOf(acme.apiKey);
    const id = acme.accounts.carol!;
    sandbox.revokeUser('carol');
    await h.makeDue(id); // her next proactive refresh is now: the running refresher finds the grant gone
    const row = await eventually(
      () => h.account(projectId, id),
      (r) => r.status === 'REVOKED',
    );
    expect(row.status_reason).toContain('invalid_grant');
    const delivery = await deliveryOf('connection.revoked', id);
    const event = verifyWebhook({
      payload: delivery.body,
      header: delivery.headers['gatehouse-signature'] as string,
      secret: hook.secret!,
    }) as ConnectionWebhookEvent;
    expect(event.data.connectedAccount).toMatchObject({ id, status: 'REVOKED', userId: 'carol' });
    const res = await execute(gh, acme.apiKey, 'acme.tasks.list', { userId: 'carol', arguments: {} });
    expect(res.result.error).toMatchObject({
      code: 'authorization_required',
      details: {
        reason: 'reconnect',
        connectedAccountId: id,
        connectLink: { redirectUrl: expect.any(String) },
      },
    });
  });

  it('a revoked idle account is found by the health probe: 401, one refresh, invalid_grant → REVOKED', async () => {
    const h = lifecycle(gh);
    const projectId = await h.projectIdOf(acme.apiKey);
    const id = acme.accounts.bob!;
    sandbox.revokeUser('bob');
    const probe = gh.server.runtime.workers.healthProbe;
    // Each tick probes the account idle (unused, unprobed) the longest: bob's turn comes within a few.
    await eventually(
      async () => {
        await probe.tick();
        return (await h.account(projectId, id)).status;
      },
      (status) => status === 'REVOKED',
    );
    expect((await h.account(projectId, id)).status).toBe('REVOKED');
    await deliveryOf('connection.revoked', id);
  });

  it('a failing endpoint is retried with backoff; the delivery log shows each outcome', async () => {
    receiver.answers.push(500);
    const del = await gh.call('DELETE', `/v1/connected-accounts/${acme.accounts.alice}`, {
      key: acme.apiKey,
    });
    expect(del.status).toBe(200);
    const deleted = JSON.parse(
      (await deliveryOf('connection.deleted', acme.accounts.alice!)).body,
    ) as ConnectionWebhookEvent;
    // The payload says what the connection now is, not what it was before the deletion.
    expect(deleted.data.connectedAccount).toMatchObject({
      userId: 'alice',
      status: 'DELETED',
      statusReason: 'deleted; the grant was revoked at the provider',
    });
    type Delivery = { eventType: string; status: string; attempts: number; lastStatusCode: number };
    // The receiver has the body before the dispatcher has written the outcome: wait for the log.
    const items = await eventually(
      async () =>
        (
          (await gh.call('GET', `/v1/webhooks/${hook.id}/deliveries`, { key: acme.apiKey })).body as {
            items: Delivery[];
          }
        ).items,
      (list) => list.every((d) => d.status === 'succeeded'),
    );
    expect(items.find((d) => d.eventType === 'connection.deleted')).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      lastStatusCode: 200,
    });
    expect(items.every((d) => d.status === 'succeeded')).toBe(true);
    const metrics = await gh.call('GET', '/metrics');
    expect(metrics.text).toMatch(/gatehouse_webhook_deliveries_total\{outcome="retry"\} [1-9]/);
    expect(metrics.text).toMatch(/gatehouse_connected_accounts\{status="REVOKED"\} [1-9]/);
  });

  it('GET /v1/events lists the same events, filtered by type and time, paged by cursor, per project', async () => {
    const all = (await gh.call('GET', '/v1/events?limit=2', { key: acme.apiKey })).body as {
      items: ConnectionWebhookEvent[];
      nextCursor: string | null;
    };
    expect(all.items).toHaveLength(2);
    const next = (await gh.call('GET', `/v1/events?limit=50&cursor=${all.nextCursor}`, { key: acme.apiKey }))
      .body as {
      items: ConnectionWebhookEvent[];
    };
    const types = [...all.items, ...next.items].map((e) => e.type);
    for (const type of ['connection.active', 'connection.revoked', 'connection.deleted'])
      expect(types).toContain(type);
    const revoked = (await gh.call('GET', '/v1/events?type=connection.revoked', { key: acme.apiKey }))
      .body as {
      items: ConnectionWebhookEvent[];
    };
    expect(revoked.items.map((e) => e.data.connectedAccount.userId).sort()).toEqual(['bob', 'carol']);
    const future = await gh.call('GET', `/v1/events?since=${new Date(Date.now() + 60_000).toISOString()}`, {
      key: acme.apiKey,
    });
    expect((future.body as { items: unknown[] }).items).toHaveLength(0);
    expect((await gh.call('GET', '/v1/events?type=nope', { key: acme.apiKey })).status).toBe(400);
    const stranger = await gh.createProject('stranger');
    expect(
      ((await gh.call('GET', '/v1/events', { key: stranger.apiKey })).body as { items: unknown[] }).items,
    ).toEqual([]);
    expect((await gh.call('GET', `/v1/webhooks/${hook.id}`, { key: stranger.apiKey })).status).toBe(404);
    expect((await gh.call('DELETE', `/v1/webhooks/${hook.id}`, { key: stranger.apiKey })).status).toBe(404);
  });

  it('a past delivery is redelivered: same event and payload, signed afresh, logged as a redelivery', async () => {
    type Delivery = {
      id: string;
      eventId: string;
      eventType: string;
      status: string;
      attempts: number;
      lastStatusCode: number | null;
      redeliveryOf: string | null;
    };
    const deliveries = async () =>
      (
        (await gh.call('GET', `/v1/webhooks/${hook.id}/deliveries?limit=100`, { key: acme.apiKey })).body as {
          items: Delivery[];
        }
      ).items;
    const original = (await deliveries()).find((d) => d.eventType === 'connection.active')!;
    expect(original).toMatchObject({ status: 'succeeded', redeliveryOf: null });
    const first = receiver.received.find((w) => w.headers['gatehouse-event-id'] === original.eventId)!;
    const seen = receiver.received.length;
    const asked = Math.floor(Date.now() / 1000);
    // The receiver fails the first try: the redelivery stays pending (backoff) and a second one is refused.
    receiver.answers.push(500);
    const sdk = new Gatehouse({ baseUrl: gh.url, apiKey: acme.apiKey });
    const queued = await sdk.webhooks.redeliver(hook.id, original.id);
    expect(queued).toMatchObject({ eventId: original.eventId, redeliveryOf: original.id, attempts: 0 });
    expect(queued.id).not.toBe(original.id);
    await eventually(deliveries, (l) => l.some((d) => d.id === queued.id && d.lastStatusCode === 500));
    for (const id of [original.id, queued.id]) {
      const twice = await sdk.webhooks.redeliver(hook.id, id).catch((e: unknown) => e);
      expect(twice).toBeInstanceOf(GatehouseApiError);
      expect((twice as GatehouseApiError).status).toBe(409);
    }
    const again = await receiver.waitFor(
      (w) => receiver.received.indexOf(w) >= seen && w.headers['gatehouse-event-id'] === original.eventId,
    );
    expect(again.body).toBe(first.body);
    const header = again.headers['gatehouse-signature'] as string;
    expect(verifyWebhook({ payload: again.body, header, secret: hook.secret! })).toMatchObject({
      id: original.eventId,
    });
    expect(Number(/t=(\d+)/.exec(header)![1])).toBeGreaterThanOrEqual(asked);
    const log = await eventually(deliveries, (l) =>
      l.some((d) => d.id === queued.id && d.status === 'succeeded'),
    );
    expect(log.find((d) => d.id === queued.id)).toMatchObject({ attempts: 2, redeliveryOf: original.id });
    expect(log.find((d) => d.id === original.id)).toEqual(original);
    const audit = await gh.call('GET', '/v1/audit?limit=20', { key: acme.apiKey });
    expect(
      (audit.body as { items: Array<{ kind: string; detail: Record<string, unknown> }> }).items.find(
        (e) => e.kind === 'admin.webhook.redelivered',
      )?.detail,
    ).toMatchObject({ webhookId: hook.id, deliveryId: original.id, redeliveryId: queued.id });
    // Another project's delivery, another endpoint's, a runtime key, a malformed id: JSON errors.
    const stranger = await gh.createProject('redeliver-stranger');
    const path = `/v1/webhooks/${hook.id}/deliveries/${original.id}/redeliver`;
    const denied = await gh.call('POST', path, { key: stranger.apiKey });
    expect(denied.status).toBe(404);
    expect(denied.body).toMatchObject({ error: { code: 'not_found' } });
    const other = await gh.call('POST', '/v1/webhooks', { key: acme.apiKey, body: { url: receiver.url } });
    const otherId = (other.body as Endpoint).id;
    const wrong = await gh.call('POST', `/v1/webhooks/${otherId}/deliveries/${original.id}/redeliver`, {
      key: acme.apiKey,
    });
    expect(wrong.status).toBe(404);
    await gh.call('DELETE', `/v1/webhooks/${otherId}`, { key: acme.apiKey });
    const runtime = await gh.call('POST', '/v1/api-keys', {
      key: acme.apiKey,
      body: { name: 'rt', role: 'runtime' },
    });
    const forbidden = await gh.call('POST', path, { key: (runtime.body as { key: string }).key });
    expect(forbidden.status).toBe(403);
    const long = await gh.call('POST', `/v1/webhooks/${hook.id}/deliveries/${'x'.repeat(65)}/redeliver`, {
      key: acme.apiKey,
    });
    expect(long.body).toMatchObject({ error: { code: 'invalid_request' } });
  });

  it('endpoints are validated: https (or loopback where internal targets are allowed), known event types', async () => {
    const bad = async (body: unknown) =>
      (await gh.call('POST', '/v1/webhooks', { key: acme.apiKey, body })).status;
    expect(await bad({ url: 'ftp://example.com/hook' })).toBe(400);
    expect(await bad({ url: 'https://user:pw@example.com/hook' })).toBe(400);
    expect(await bad({ url: 'https://example.com/hook', events: ['connection.nope'] })).toBe(400);
    expect(await bad({ url: 'https://example.com/hook', extra: 1 })).toBe(400);
    // An instance that does not allow internal targets (production) refuses loopback and private hosts.
    const strict = new WebhookService(new WebhookStore(gh.server.runtime.db), gh.server.runtime.vault, false);
    const projectId = await lifecycle(gh).projectIdOf(acme.apiKey);
    for (const url of [
      'http://example.com/h',
      'https://127.0.0.1/h',
      'https://10.0.0.8/h',
      'https://localhost/h',
    ]) {
      expect((await strict.create(projectId, { url })).ok).toBe(false);
    }
    const filtered = await gh.call('POST', '/v1/webhooks', {
      key: acme.apiKey,
      body: { url: receiver.url, events: ['connection.deleted'] },
    });
    expect((filtered.body as Endpoint).events).toEqual(['connection.deleted']);
    expect(
      (await gh.call('DELETE', `/v1/webhooks/${(filtered.body as Endpoint).id}`, { key: acme.apiKey }))
        .status,
    ).toBe(204);
  });

  it('no token or signing secret reaches the database in clear, the logs, or an event', async () => {
    const tokens = sandbox.issuedTokens();
    const secrets = [...tokens.accessTokens, ...tokens.refreshTokens, hook.secret!];
    const dump = await dumpDatabase(gh.server.runtime.db);
    const logs = gh.logs.text();
    const delivered = receiver.received.map((r) => r.body).join('\n');
    for (const secret of secrets) {
      expect(dump).not.toContain(secret);
      expect(logs).not.toContain(secret);
      expect(delivered).not.toContain(secret);
    }
  });
});
