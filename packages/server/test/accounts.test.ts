import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConnectedAccount } from '../src/accounts/store.js';
import { AccountTransitions } from '../src/accounts/transitions.js';
import { type ConnectionEventType, EventLog, type EventType } from '../src/events/event-log.js';
import type { Queryable } from '../src/store/db.js';
import { projectWithConnectedUsers, sandboxFor } from './support/broker.js';
import { connectUser } from './support/connect.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { lifecycle } from './support/lifecycle.js';

type Acme = Awaited<ReturnType<typeof projectWithConnectedUsers>>;

/** An outbox that is down: the event cannot be written. */
class BrokenOutbox extends EventLog {
  override async emit(q: Queryable, type: ConnectionEventType, account: ConnectedAccount): Promise<string> {
    await super.emit(q, type, account);
    throw new Error('the outbox is unavailable');
  }
}

describeEachDatabase('connected accounts: one owner for status, events with every change', (t) => {
  let gh: TestGatehouse;
  let sandbox: Sandbox;
  let acme: Acme;
  let projectId: string;
  let h: ReturnType<typeof lifecycle>;
  let transitions: AccountTransitions;

  beforeAll(async () => {
    // The refresher stays off: whatever schedules the first refresh, it is not the refresher.
    gh = await startTestGatehouse(t.db(), { GATEHOUSE_REFRESHER_ENABLED: 'false' });
    h = lifecycle(gh);
    const started = await sandboxFor(gh);
    sandbox = started.sandbox;
    acme = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice', 'bob', 'carol']);
    projectId = await h.projectIdOf(acme.apiKey);
    transitions = new AccountTransitions(gh.server.runtime.accountStore, gh.server.runtime.events);
  });
  afterAll(async () => {
    await gh?.close();
    await sandbox?.close();
  });

  const rt = () => gh.server.runtime;
  const eventsOf = async (accountId: string, type: EventType) => {
    const { rows } = await rt().db.query<{ type: string; data: { connectedAccount: { status: string } } }>(
      'SELECT type, data FROM events WHERE project_id = $1 AND connected_account_id = $2 AND type = $3',
      [projectId, accountId, type],
    );
    return rows;
  };
  const leadSeconds = (row: { access_token_expires_at: Date | null; next_refresh_at: Date | null }) =>
    (row.access_token_expires_at!.getTime() - row.next_refresh_at!.getTime()) / 1000;

  it('a completed Connect Link leaves an ACTIVE account whose first refresh is already scheduled', async () => {
    const row = await h.account(projectId, acme.accounts.alice!);
    expect(row.status).toBe('ACTIVE');
    // The refresher never ran: connect set it, by the refresher's rule (lead 300 s + up to 60 s jitter).
    expect(row.next_refresh_at).not.toBeNull();
    expect(leadSeconds(row)).toBeGreaterThanOrEqual(300);
    expect(leadSeconds(row)).toBeLessThanOrEqual(360);
    const active = await eventsOf(row.id, 'connection.active');
    expect(active.map((e) => e.data.connectedAccount.status)).toEqual(['ACTIVE']);
  });

  it('reconnecting alice reschedules the refresh for the new token and records connection.active again', async () => {
    const id = acme.accounts.alice!;
    await rt().db.query('UPDATE connected_accounts SET next_refresh_at = NULL WHERE id = $1', [id]);
    const again = await connectUser(
      gh,
      acme.apiKey,
      { userId: 'alice', authConfigId: acme.authConfigId, connectedAccountId: id },
      { username: 'alice' },
    );
    expect(again.link).toMatchObject({ status: 'COMPLETED', connectedAccountId: id });
    const row = await h.account(projectId, id);
    expect(row.status).toBe('ACTIVE');
    expect(leadSeconds(row)).toBeGreaterThanOrEqual(300);
    expect(await eventsOf(id, 'connection.active')).toHaveLength(2);
  });

  it('revoking bob writes REVOKED and connection.revoked together; an outbox failure leaves him ACTIVE', async () => {
    const id = acme.accounts.bob!;
    const before = await h.account(projectId, id);
    const broken = new AccountTransitions(rt().accountStore, new BrokenOutbox(rt().db));
    await expect(
      rt().db.transaction((tx) => broken.markRevoked(tx, { projectId, id }, 'the provider said so')),
    ).rejects.toThrow('the outbox is unavailable');
    const untouched = await h.account(projectId, id);
    expect(untouched).toMatchObject({ status: 'ACTIVE', status_reason: null, version: before.version });
    expect(await eventsOf(id, 'connection.revoked')).toHaveLength(0);

    const revoked = await rt().db.transaction((tx) =>
      transitions.markRevoked(tx, { projectId, id }, 'the provider said so'),
    );
    expect(revoked).toMatchObject({ status: 'REVOKED', statusReason: 'the provider said so' });
    expect(await h.account(projectId, id)).toMatchObject({ status: 'REVOKED', version: before.version + 1 });
    const events = await eventsOf(id, 'connection.revoked');
    expect(events.map((e) => e.data.connectedAccount.status)).toEqual(['REVOKED']);
  });

  it('only an ACTIVE account expires; activating an EXPIRED one brings it back with connection.refreshed', async () => {
    const id = acme.accounts.carol!;
    const expired = await rt().db.transaction((tx) =>
      transitions.markExpired(tx, { projectId, id }, 'refresh kept failing'),
    );
    expect(expired).toMatchObject({ status: 'EXPIRED', statusReason: 'refresh kept failing' });
    // Already EXPIRED: no second transition, no second event.
    const twice = await rt().db.transaction((tx) =>
      transitions.markExpired(tx, { projectId, id }, 'refresh kept failing'),
    );
    expect(twice).toBeUndefined();
    expect(await eventsOf(id, 'connection.expired')).toHaveLength(1);

    const back = await rt().db.transaction((tx) =>
      transitions.activate(tx, expired!, 'connection.refreshed'),
    );
    expect(back).toMatchObject({ status: 'ACTIVE', statusReason: null });
    const refreshed = await eventsOf(id, 'connection.refreshed');
    expect(refreshed.map((e) => e.data.connectedAccount.status)).toEqual(['ACTIVE']);
  });

  it('a token handed out records the use in memory, written at the next flush, at most once a minute', async () => {
    const id = acme.accounts.carol!;
    const account = (await rt().accountStore.get(projectId, id))!;
    expect(account.lastUsedAt).toBeNull();
    rt().lastUsed.note(account);
    // Nothing is written per call: the use waits for the batch.
    expect((await h.account(projectId, id)).last_used_at).toBeNull();
    expect(await rt().lastUsed.flush()).toBe(1);
    const first = (await h.account(projectId, id)).last_used_at;
    expect(first).not.toBeNull();
    // Another use within the minute is not noted again: the next flush has nothing to write.
    rt().lastUsed.note(account);
    expect(await rt().lastUsed.flush()).toBe(0);
    expect((await h.account(projectId, id)).last_used_at).toEqual(first);
  });
});
