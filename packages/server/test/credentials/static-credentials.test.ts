import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openCredentials } from '../../src/accounts/credentials.js';
import { dumpDatabase, sandboxFor } from '../support/connect.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { registerStaticProviders } from '../support/static-providers.js';

// API keys, passwords and imported OAuth tokens: checked with the provider before they are saved,
// sealed in the vault like OAuth tokens, used by execute and proxy, never shown, revocable.

describeEachDatabase('static credentials', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let client: { clientId: string; clientSecret: string };
  let key: string;
  let configs: { payments: string; helpdesk: string };
  const answers: string[] = [];

  const call = async (method: string, path: string, body?: unknown) => {
    const res = await gh.call(method, path, { key, ...(body === undefined ? {} : { body }) });
    answers.push(res.text);
    return res;
  };
  const execute = (slug: string, body: Record<string, unknown>) =>
    call('POST', `/v1/tools/${slug}/execute`, body);
  const connect = (body: Record<string, unknown>) => call('POST', '/v1/connected-accounts', body);

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db(), { GATEHOUSE_REFRESHER_ENABLED: 'false' });
    ({ sandbox, client } = await sandboxFor(gh));
    key = (await gh.createProject('static-credentials')).apiKey;
    configs = await registerStaticProviders(gh, key, sandbox);
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
  });

  it('an api_key provider gets an auth config without an OAuth client (no longer unsupported_provider)', async () => {
    const res = await call('GET', `/v1/auth-configs/${configs.payments}`);
    expect(res.body).toMatchObject({ providerId: 'acme-payments', clientId: null, hasClientSecret: false });
    const withClient = await call('POST', '/v1/auth-configs', { providerId: 'acme-payments', clientId: 'x' });
    expect(withClient.status).toBe(400);
  });

  it('a wrong key is refused by the health check and nothing is saved', async () => {
    const wrong = `sk_test_${'0'.repeat(24)}`;
    const res = await connect({
      userId: 'alice',
      authConfigId: configs.payments,
      credentials: { type: 'api_key', apiKey: wrong },
    });
    expect(res.status).toBe(422);
    expect((res.body as { error: { code: string } }).error.code).toBe('credential_rejected');
    expect(res.text).not.toContain(wrong);
    const malformed = await connect({
      userId: 'alice',
      authConfigId: configs.payments,
      credentials: { type: 'api_key', apiKey: 'not-a-key' },
    });
    expect((malformed.body as { error: { code: string } }).error.code).toBe('credential_rejected');
    const kind = await connect({
      userId: 'alice',
      authConfigId: configs.payments,
      credentials: { type: 'basic', username: 'alice', password: 'x' },
    });
    expect((kind.body as { error: { code: string } }).error.code).toBe('credential_kind_mismatch');
    const listed = await call('GET', '/v1/connected-accounts?userId=alice');
    expect((listed.body as { items: unknown[] }).items).toEqual([]);
    const { rows } = await gh.server.runtime.db.query('SELECT id FROM connected_accounts');
    expect(rows).toEqual([]);
  });

  it('a Stripe-shaped key: connected over the API, executed, never shown, revoked', async () => {
    const apiKey = sandbox.apiKeys.alice!;
    const res = await connect({
      userId: 'alice',
      authConfigId: configs.payments,
      label: 'live shop',
      credentials: { type: 'api_key', apiKey },
    });
    expect(res.status).toBe(201);
    const account = res.body as { id: string; status: string; upstreamAccount: { id: string } };
    expect(account).toMatchObject({ status: 'ACTIVE', upstreamAccount: { id: 'acct_alice' }, owner: 'user' });
    expect(res.text).not.toContain(apiKey);

    // Sealed in the vault exactly like OAuth tokens.
    const row = await gh.server.runtime.accountStore.get(await projectOf(), account.id);
    const opened = await openCredentials(
      gh.server.runtime.vault,
      row!.projectId,
      row!.id,
      row!.credentialsCt!,
    );
    expect(opened.ok && opened.value).toEqual({ kind: 'api_key', apiKey });

    const created = await execute('acme_payments.customers.create', {
      userId: 'alice',
      arguments: { email: 'buyer@example.com', name: 'Buyer' },
    });
    expect(created.body).toMatchObject({
      successful: true,
      data: { object: 'customer', email: 'buyer@example.com' },
    });
    const listed = await execute('acme_payments.customers.list', { userId: 'alice', arguments: {} });
    expect((listed.body as { data: unknown[] }).data).toHaveLength(1);
    const proxied = await call('POST', '/v1/proxy', {
      connectedAccountId: account.id,
      method: 'GET',
      path: '/v1/balance',
    });
    expect(proxied.body).toMatchObject({ status: 200 });

    const deleted = await call('DELETE', `/v1/connected-accounts/${account.id}`);
    expect(deleted.body).toMatchObject({ deleted: true, revokedAtProvider: false });
    const after = await execute('acme_payments.balance.get', { userId: 'alice', arguments: {} });
    expect(after.body).toMatchObject({
      successful: false,
      error: { code: 'authorization_required', details: { reason: 'no_account' } },
    });

    await expectNowhere(apiKey);
  });

  it('a key revoked at the provider is not refreshed: the 401 comes back as the answer', async () => {
    const res = await connect({
      userId: 'bob',
      authConfigId: configs.payments,
      credentials: { type: 'api_key', apiKey: sandbox.apiKeys.bob! },
    });
    expect(res.status).toBe(201);
    sandbox.faults.add({
      match: { pathPrefix: '/payments/v1/balance' },
      kind: 'status',
      status: 401,
      body: {},
    });
    const out = await execute('acme_payments.balance.get', { userId: 'bob', arguments: {} });
    expect(out.body).toMatchObject({ successful: false, error: { code: 'upstream_error' } });
    sandbox.faults.clear();
  });

  it('HTTP Basic: a username and password checked, stored and sent as Basic', async () => {
    const bad = await connect({
      userId: 'carol',
      authConfigId: configs.helpdesk,
      credentials: { type: 'basic', username: 'carol', password: 'wrong-password' },
    });
    expect((bad.body as { error: { code: string } }).error.code).toBe('credential_rejected');
    const res = await connect({
      userId: 'carol',
      authConfigId: configs.helpdesk,
      credentials: { type: 'basic', username: 'carol', password: 'carol-pass' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ upstreamAccount: { id: 'carol' } });
    const opened = await execute('acme_helpdesk.tickets.create', {
      userId: 'carol',
      arguments: { subject: 'Printer on fire' },
    });
    expect(opened.body).toMatchObject({
      successful: true,
      data: { subject: 'Printer on fire', requester: 'carol' },
    });
    await expectNowhere('carol-pass');
  });

  it('an OAuth token imported from another broker is checked, then refreshed by the refresher', async () => {
    const ac = await call('POST', '/v1/auth-configs', {
      providerId: 'sandbox',
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      settings: { baseUrl: sandbox.url },
    });
    const minted = await sandbox.mintGrant({ clientId: client.clientId, userId: 'alice' });
    const res = await connect({
      userId: 'alice',
      authConfigId: (ac.body as { id: string }).id,
      credentials: {
        type: 'oauth2',
        accessToken: minted.accessToken,
        refreshToken: minted.refreshToken,
        expiresAt: new Date(Date.now() + 60_000).toISOString(),
        scopes: minted.scope.split(' '),
      },
    });
    expect(res.status).toBe(201);
    const id = (res.body as { id: string }).id;
    expect(res.text).not.toContain(minted.accessToken);
    // Due within the provider's lead time: the refresher takes it on its next tick.
    await gh.server.runtime.db.query('UPDATE connected_accounts SET next_refresh_at = now() WHERE id = $1', [
      id,
    ]);
    await gh.server.runtime.workers.refresher.tick();
    const row = (await gh.server.runtime.accountStore.get(await projectOf(), id))!;
    const creds = await openCredentials(gh.server.runtime.vault, row.projectId, id, row.credentialsCt!);
    expect(creds.ok && creds.value.refreshToken).not.toBe(minted.refreshToken);
    expect(creds.ok && creds.value.accessToken).not.toBe(minted.accessToken);
    expect(row.accessTokenExpiresAt!.getTime()).toBeGreaterThan(Date.now() + 30 * 60_000);
    const listed = await execute('acme.tasks.list', { userId: 'alice', arguments: { limit: 1 } });
    expect(listed.body).toMatchObject({ successful: true });

    // An expired import with a revoked refresh token is refused, nothing saved.
    const count = async () =>
      (await gh.server.runtime.db.query('SELECT id FROM connected_accounts')).rows.length;
    const before = await count();
    const stale = await connect({
      userId: 'dave',
      authConfigId: (ac.body as { id: string }).id,
      credentials: {
        type: 'oauth2',
        accessToken: minted.accessToken,
        refreshToken: minted.refreshToken, // rotated away by the refresh above
        expiresAt: new Date(Date.now() - 1000).toISOString(),
      },
    });
    expect(stale.status).toBe(422);
    expect(await count()).toBe(before);
  });

  async function projectOf(): Promise<string> {
    const { rows } = await gh.server.runtime.db.query<{ id: string }>(
      "SELECT id FROM projects WHERE name = 'static-credentials'",
    );
    return rows[0]!.id;
  }

  /** The secret is in no answer, log line, audit entry, event or database column (only its ciphertext). */
  async function expectNowhere(secret: string): Promise<void> {
    const audit = await call('GET', '/v1/audit/export');
    const events = await call('GET', '/v1/events');
    const everywhere = {
      answers: answers.join('\n'),
      logs: gh.logs.text(),
      audit: audit.text,
      events: events.text,
      database: await dumpDatabase(gh.server.runtime.db),
    };
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    for (const form of [
      secret,
      encodeURIComponent(secret),
      b64(secret).slice(0, -4),
      b64(`x:${secret}`).slice(4, -4),
    ])
      for (const [where, text] of Object.entries(everywhere))
        expect(text.includes(form), `the secret appears in ${where}`).toBe(false);
  }
});
