import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { newLeaseId } from '../src/tokens/refresh-attempt.js';
import { execute, projectWithConnectedUsers, sandboxFor } from './support/broker.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { lifecycle, presentRefreshToken } from './support/lifecycle.js';

type Acme = Awaited<ReturnType<typeof projectWithConnectedUsers>>;
const LEASE_MS = 4_000;

describeEachDatabase('token lifecycle: proactive refresh, failures, crash recovery', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let acme: Acme;
  let projectId: string;
  let h: ReturnType<typeof lifecycle>;
  // A second provider that tolerates a rotated-out refresh token for 10 s (a documented "reuse window").
  let lenient: { sandbox: Sandbox; client: { clientId: string; clientSecret: string }; acme: Acme };

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db(), {
      GATEHOUSE_REFRESHER_ENABLED: 'false', // the tests drive ticks themselves
      GATEHOUSE_REFRESH_LEASE_TIMEOUT_MS: String(LEASE_MS),
      GATEHOUSE_REFRESH_MAX_FAILURES: '2',
    });
    h = lifecycle(gh);
    const started = await sandboxFor(gh);
    sandbox = started.sandbox;
    acme = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice', 'bob', 'carol']);
    projectId = await h.projectIdOf(acme.apiKey);
    const second = await sandboxFor(gh, { refreshTokenReuseWindowSeconds: 10 });
    lenient = {
      ...second,
      acme: await projectWithConnectedUsers(gh, second.sandbox, second.client, ['alice']),
    };
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
    await lenient?.sandbox.close();
  });
  beforeEach(() => sandbox.faults.clear());

  const refresher = () => gh.server.runtime.workers.refresher;
  const events = async (type: string) =>
    (
      (await gh.call('GET', `/v1/events?type=${type}`, { key: acme.apiKey })).body as {
        items: Array<{ type: string; data: { connectedAccount: { id: string; status: string } } }>;
      }
    ).items;

  it('a new connection is scheduled ahead of expiry (lead time + jitter), not refreshed early', async () => {
    const id = acme.accounts.alice!;
    const before = sandbox.stats().refreshGrants;
    await refresher().tick();
    const row = await h.account(projectId, id);
    expect(sandbox.stats().refreshGrants).toBe(before);
    const lead = (row.access_token_expires_at!.getTime() - row.next_refresh_at!.getTime()) / 1000;
    // The sandbox's lead time is the catalog default, 300 s; jitter adds up to a fifth of it, at most 60 s.
    expect(lead).toBeGreaterThanOrEqual(300);
    expect(lead).toBeLessThanOrEqual(360);
    expect(row.refresh_lease_id).toBeNull();
  });

  it('when due, the refresher refreshes once, rotates the token and emits connection.refreshed', async () => {
    const id = acme.accounts.alice!;
    const old = await h.credentials(projectId, id);
    const before = await h.account(projectId, id);
    await h.makeDue(id);
    await refresher().tick();
    const after = await h.account(projectId, id);
    expect(after).toMatchObject({ status: 'ACTIVE', version: before.version + 1, refresh_failures: 0 });
    expect(after.refresh_lease_id).toBeNull();
    expect(after.refresh_journal_ct).toBeNull();
    const creds = await h.credentials(projectId, id);
    expect(creds.refreshToken).not.toBe(old.refreshToken);
    expect(creds.accessToken).not.toBe(old.accessToken);
    expect((await events('connection.refreshed')).some((e) => e.data.connectedAccount.id === id)).toBe(true);
    const res = await execute(gh, acme.apiKey, 'acme.tasks.list', { userId: 'alice', arguments: {} });
    expect(res.result.successful).toBe(true);
  });

  it('refresher ticks and inline refreshes racing for one due account refresh it exactly once', async () => {
    const id = acme.accounts.alice!;
    await h.makeDue(
      id,
      "access_token_expires_at = now() + interval '5 seconds', last_refreshed_at = now() - interval '1 hour'",
    );
    const before = sandbox.stats();
    const results = await Promise.all([
      refresher().tick(),
      refresher().tick(),
      ...Array.from({ length: 6 }, () =>
        execute(gh, acme.apiKey, 'acme.tasks.list', { userId: 'alice', arguments: {} }),
      ),
      refresher().tick(),
    ]);
    const calls = results.filter((r) => typeof r === 'object') as Awaited<ReturnType<typeof execute>>[];
    expect(calls.every((r) => r.result.successful)).toBe(true);
    const after = sandbox.stats();
    expect(after.refreshGrants - before.refreshGrants).toBe(1);
    expect(after.refreshReuseDetected).toBe(0);
  });

  it('a 5xx never downgrades a working account; past expiry, N failures in a row make it EXPIRED', async () => {
    const id = acme.accounts.bob!;
    sandbox.faults.add({ match: { pathPrefix: '/oauth/token' }, kind: 'status', status: 503, times: 0 });
    await h.makeDue(id);
    await refresher().tick();
    let row = await h.account(projectId, id);
    expect(row).toMatchObject({ status: 'ACTIVE', refresh_failures: 1, refresh_lease_id: null });
    expect(row.refresh_journal_ct).toBeNull(); // the provider answered: the token was not used up
    expect(row.next_refresh_at!.getTime()).toBeGreaterThan(Date.now());
    expect(
      (await execute(gh, acme.apiKey, 'acme.tasks.list', { userId: 'bob', arguments: {} })).result.successful,
    ).toBe(true);

    await h.makeDue(id, "access_token_expires_at = now() - interval '1 second'");
    await refresher().tick();
    row = await h.account(projectId, id);
    expect(row.status).toBe('EXPIRED');
    expect(row.status_reason).toContain('refresh failed 2 times');
    expect((await events('connection.expired')).map((e) => e.data.connectedAccount.id)).toContain(id);
    const res = await execute(gh, acme.apiKey, 'acme.tasks.list', { userId: 'bob', arguments: {} });
    expect(res.result.error).toMatchObject({
      code: 'authorization_required',
      details: { reason: 'reconnect' },
    });
  });

  it('POST /refresh forces a refresh, revives an EXPIRED account, and answers the account, never a token', async () => {
    const id = acme.accounts.bob!;
    const res = await gh.call('POST', `/v1/connected-accounts/${id}/refresh`, { key: acme.apiKey });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: 'ACTIVE', userId: 'bob' });
    const tokens = sandbox.issuedTokens();
    for (const token of [...tokens.accessTokens, ...tokens.refreshTokens])
      expect(res.text).not.toContain(token);
    expect((await h.account(projectId, id)).refresh_failures).toBe(0);
    const missing = await gh.call('POST', '/v1/connected-accounts/ca_nope/refresh', { key: acme.apiKey });
    expect(missing.status).toBe(404);
  });

  it('no answer from the provider keeps the journal; the next attempt recovers the same token', async () => {
    const id = acme.accounts.bob!;
    sandbox.faults.add({ match: { pathPrefix: '/oauth/token' }, kind: 'timeout', times: 1 });
    await h.makeDue(id);
    await refresher().tick(); // gives up after half the lease
    const stuck = await h.account(projectId, id);
    expect(stuck).toMatchObject({ status: 'ACTIVE', refresh_failures: 1, refresh_lease_id: null });
    expect(stuck.refresh_journal_ct).not.toBeNull();
    await h.makeDue(id);
    await refresher().tick();
    const after = await h.account(projectId, id);
    expect(after).toMatchObject({ status: 'ACTIVE', refresh_failures: 0, refresh_journal_ct: null });
    expect(sandbox.stats().refreshReuseDetected).toBe(0);
    const metrics = await gh.call('GET', '/metrics');
    expect(metrics.text).toMatch(
      /gatehouse_token_refresh_attempts_total\{provider="sandbox",trigger="recovery"\} [1-9]/,
    );
  });

  it('a replica that died after the provider rotated the token: recovered inside the reuse window', async () => {
    const { sandbox: lenientSandbox, client, acme: other } = lenient;
    const otherProject = await h.projectIdOf(other.apiKey);
    const id = other.accounts.alice!;
    const row = await h.account(otherProject, id);
    const { refreshToken } = await h.credentials(otherProject, id);
    // The dead replica: took the lease, wrote its journal, the provider rotated the token, then nothing.
    const lease = newLeaseId();
    await h.leases.claimOne(otherProject, id, row.version, lease, LEASE_MS);
    await h.leases.writeJournal(otherProject, id, lease, 'v1.journal-of-a-dead-replica');
    expect(await presentRefreshToken(lenientSandbox, client, refreshToken!)).toBe(200);
    await gh.server.runtime.db.query(
      "UPDATE connected_accounts SET refresh_lease_until = now() - interval '1 second', next_refresh_at = now() WHERE id = $1",
      [id],
    );
    await refresher().tick();
    expect(await h.account(otherProject, id)).toMatchObject({ status: 'ACTIVE', refresh_journal_ct: null });
    expect(lenientSandbox.stats()).toMatchObject({ refreshReuseInWindow: 1, refreshReuseDetected: 0 });
    const res = await execute(gh, other.apiKey, 'acme.tasks.list', { userId: 'alice', arguments: {} });
    expect(res.result.successful).toBe(true);
  });

  it('the same crash without a reuse window ends REVOKED, and the reason says why (window not covered)', async () => {
    const id = acme.accounts.alice!;
    const row = await h.account(projectId, id);
    const { refreshToken } = await h.credentials(projectId, id);
    const lease = newLeaseId();
    await h.leases.claimOne(projectId, id, row.version, lease, LEASE_MS);
    await h.leases.writeJournal(projectId, id, lease, 'v1.journal-of-a-dead-replica');
    const started = await sandboxClient();
    expect(await presentRefreshToken(sandbox, started, refreshToken!)).toBe(200);
    await gh.server.runtime.db.query(
      "UPDATE connected_accounts SET refresh_lease_until = now() - interval '1 second', next_refresh_at = now() WHERE id = $1",
      [id],
    );
    await refresher().tick();
    const after = await h.account(projectId, id);
    expect(after.status).toBe('REVOKED');
    expect(after.status_reason).toContain('interrupted refresh');
  });

  /** The first sandbox's client credentials, as registered by sandboxFor (read back from the auth config). */
  async function sandboxClient() {
    const loaded = await gh.server.runtime.authConfigs.load(projectId, acme.authConfigId);
    if (!loaded.ok) throw new Error('auth config');
    return { clientId: loaded.value.client.clientId, clientSecret: loaded.value.client.clientSecret! };
  }
});
