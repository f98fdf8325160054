import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AccountCache, AccountChanges } from '../src/accounts/account-cache.js';
import { AccountStore, type ConnectedAccount } from '../src/accounts/store.js';
import { AccountTransitions } from '../src/accounts/transitions.js';
import { type Db, openPostgres } from '../src/store/db.js';
import { execute, projectWithConnectedUsers, sandboxFor } from './support/broker.js';
import { connectUser } from './support/connect.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { lifecycle } from './support/lifecycle.js';

/** A store whose reads wait at a gate after reading: a read that is still in flight when a change commits. */
class GatedStore extends AccountStore {
  gate: Promise<void> = Promise.resolve();
  override async get(projectId: string, id: string, q?: Db): Promise<ConnectedAccount | undefined> {
    const row = await super.get(projectId, id, q);
    await this.gate;
    return row;
  }
}

describeEachDatabase('account cache: every change to an account reaches every replica’s cache', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let client: { clientId: string; clientSecret: string };
  let acme: Awaited<ReturnType<typeof projectWithConnectedUsers>>;
  let projectId: string;
  let transitions: AccountTransitions;
  // Another replica's cache: on PostgreSQL its own pool and its own LISTEN connection; it hears
  // of changes only through the trigger's NOTIFY (its store is not the one that writes).
  let otherDb: Db;
  let other: AccountCache;

  beforeAll(async () => {
    // A TTL far longer than the tests: whatever a cache stops serving, invalidation removed.
    gh = await startTestGatehouse(t.db(), {
      GATEHOUSE_REFRESHER_ENABLED: 'false',
      GATEHOUSE_ACCOUNT_CACHE_MS: '600000',
    });
    const started = await sandboxFor(gh);
    sandbox = started.sandbox;
    client = started.client;
    acme = await projectWithConnectedUsers(gh, sandbox, client, ['alice', 'bob', 'carol']);
    // erin is a Gatehouse user who signs in at the sandbox as alice.
    const erin = await connectUser(
      gh,
      acme.apiKey,
      { userId: 'erin', authConfigId: acme.authConfigId },
      { username: 'alice' },
    );
    acme.accounts.erin = erin.link.connectedAccountId!;
    projectId = await lifecycle(gh).projectIdOf(acme.apiKey);
    transitions = new AccountTransitions(rt().accountStore, rt().events);
    otherDb = t.kind === 'postgres' ? await openPostgres(t.url()!) : t.db();
    const changes = new AccountChanges();
    other = await AccountCache.open(otherDb, new AccountStore(otherDb, changes), changes, { ttlMs: 600_000 });
  });
  afterAll(async () => {
    await other?.close();
    if (t.kind === 'postgres') await otherDb?.close();
    await gh?.close();
    await sandbox?.close();
  });

  const rt = () => gh.server.runtime;
  /** Both replicas hold the account as it is now. */
  const warm = async (id: string): Promise<ConnectedAccount> => {
    const here = (await rt().accountCache.get(projectId, id))!;
    const there = (await other.get(projectId, id))!;
    expect(there.version).toBe(here.version);
    return here;
  };
  /** What this replica serves right after the change returned, and the other once notified. */
  const seen = async (id: string) => {
    const here = await rt().accountCache.get(projectId, id);
    await other.barrier();
    const there = await other.get(projectId, id);
    return { here, there };
  };

  it('serves an account from memory until it changes; bookkeeping columns do not count as changes', async () => {
    expect(rt().accountCache.active).toBe(true);
    const first = await warm(acme.accounts.carol!);
    // The batched last_used_at flush and the refresher's leases write without notifying.
    await rt().db.query(
      'UPDATE connected_accounts SET last_used_at = now(), next_refresh_at = now() WHERE id = $1',
      [acme.accounts.carol!],
    );
    await other.barrier();
    expect(await rt().accountCache.get(projectId, acme.accounts.carol!)).toBe(first);
  });

  it('refresh: the new version and credentials replace the cached row', async () => {
    const id = acme.accounts.alice!;
    const before = await warm(id);
    const refreshed = await rt().tokens.forceRefresh(projectId, id);
    expect(refreshed.ok).toBe(true);
    const { here, there } = await seen(id);
    expect(here!.version).toBe(before.version + 1);
    expect(here!.credentialsCt).not.toBe(before.credentialsCt);
    expect(there!.version).toBe(before.version + 1);
  });

  it('reconnect: a completed Connect Link for the account replaces the cached row', async () => {
    const id = acme.accounts.alice!;
    const before = await warm(id);
    const outcome = await connectUser(
      gh,
      acme.apiKey,
      { userId: 'alice', authConfigId: acme.authConfigId, connectedAccountId: id },
      { username: 'alice' },
    );
    expect(outcome.link.status).toBe('COMPLETED');
    const { here, there } = await seen(id);
    expect(here!.version).toBeGreaterThan(before.version);
    expect(there!.version).toBe(here!.version);
  });

  it('revoke: the account is refused by the very next call on this replica, and by the other', async () => {
    const id = acme.accounts.bob!;
    await warm(id);
    const ok = await execute(gh, acme.apiKey, 'acme.tasks.list', { userId: 'bob', arguments: { limit: 1 } });
    expect(ok.result.successful).toBe(true);
    await rt().db.transaction((tx) => transitions.markRevoked(tx, { projectId, id }, 'revoked by the test'));
    // No wait of any kind: the write's commit dropped this replica's copy before it returned.
    const refused = await execute(gh, acme.apiKey, 'acme.tasks.list', {
      userId: 'bob',
      arguments: { limit: 1 },
    });
    expect(refused.result.error?.code).toBe('authorization_required');
    const { here, there } = await seen(id);
    expect(here!.status).toBe('REVOKED');
    expect(there!.status).toBe('REVOKED');
  });

  it('activate: a revoked account made ACTIVE again is served ACTIVE', async () => {
    const id = acme.accounts.bob!;
    const revoked = await warm(id);
    expect(revoked.status).toBe('REVOKED');
    await rt().db.transaction((tx) => transitions.activate(tx, revoked, 'connection.refreshed'));
    const { here, there } = await seen(id);
    expect(here!.status).toBe('ACTIVE');
    expect(there!.status).toBe('ACTIVE');
  });

  it('expire: an account that became EXPIRED is served EXPIRED', async () => {
    const id = acme.accounts.bob!;
    await warm(id);
    await rt().db.transaction((tx) => transitions.markExpired(tx, { projectId, id }, 'expired by the test'));
    const { here, there } = await seen(id);
    expect(here!.status).toBe('EXPIRED');
    expect(there!.status).toBe('EXPIRED');
  });

  it('delete: a deleted account is not found by either replica', async () => {
    const id = acme.accounts.erin!;
    await warm(id);
    expect((await other.forUserAndProvider(projectId, 'erin', 'sandbox')).map((a) => a.id)).toEqual([id]);
    const res = await gh.call('DELETE', `/v1/connected-accounts/${id}`, { key: acme.apiKey });
    expect(res.status).toBe(200);
    const { here, there } = await seen(id);
    expect(here).toBeUndefined();
    expect(there).toBeUndefined();
    expect(await other.forUserAndProvider(projectId, 'erin', 'sandbox')).toEqual([]);
  });

  it('connect: a new account appears in the user’s cached list (a second one makes the choice explicit)', async () => {
    expect(await rt().accountCache.forUserAndProvider(projectId, 'carol', 'sandbox')).toHaveLength(1);
    expect(await other.forUserAndProvider(projectId, 'carol', 'sandbox')).toHaveLength(1);
    const outcome = await connectUser(
      gh,
      acme.apiKey,
      { userId: 'carol', authConfigId: acme.authConfigId, label: 'second' },
      { username: 'bob' },
    );
    expect(outcome.link.status).toBe('COMPLETED');
    expect(await rt().accountCache.forUserAndProvider(projectId, 'carol', 'sandbox')).toHaveLength(2);
    await other.barrier();
    expect(await other.forUserAndProvider(projectId, 'carol', 'sandbox')).toHaveLength(2);
    const call = await execute(gh, acme.apiKey, 'acme.tasks.list', {
      userId: 'carol',
      arguments: { limit: 1 },
    });
    expect(call.result.error?.code).toBe('ambiguous_account');
  });

  it('a read in flight while a change commits does not put the old row back', async () => {
    const changes = new AccountChanges();
    const store = new GatedStore(rt().db, changes);
    const cache = await AccountCache.open(rt().db, store, changes, { ttlMs: 600_000 });
    try {
      const id = acme.accounts.carol!;
      let open!: () => void;
      store.gate = new Promise((r) => {
        open = r;
      });
      const inFlight = cache.get(projectId, id);
      // The row was read; the change commits before the read hands it to the cache.
      await new Promise((r) => setTimeout(r, 20));
      changes.changed(rt().db, { projectId, id, userId: 'carol', providerId: 'sandbox' });
      open();
      const old = await inFlight;
      const next = await cache.get(projectId, id);
      expect(next).not.toBe(old); // read again, not served from what the stale read left
      expect(await cache.get(projectId, id)).toBe(next); // and that read is cached
    } finally {
      await cache.close();
    }
  });

  it('last_used_at: calls note the use in memory; the batch writes it when flushed', async () => {
    const id = acme.accounts.alice!;
    await rt().lastUsed.flush();
    await rt().db.query('UPDATE connected_accounts SET last_used_at = NULL WHERE id = $1', [id]);
    const res = await execute(gh, acme.apiKey, 'acme.tasks.list', {
      userId: 'alice',
      connectedAccountId: id,
      arguments: { limit: 1 },
    });
    expect(res.result.successful).toBe(true);
    expect((await lifecycle(gh).account(projectId, id)).last_used_at).toBeNull();
    // No call in this file used alice's account before: this one is noted, and the flush writes it.
    expect(await rt().lastUsed.flush()).toBe(1);
    expect((await lifecycle(gh).account(projectId, id)).last_used_at).not.toBeNull();
  });
});
