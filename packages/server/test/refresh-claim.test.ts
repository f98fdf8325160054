import { afterAll, beforeAll, expect, it } from 'vitest';
import { AccountTransitions } from '../src/accounts/transitions.js';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { newId } from '../src/shared/ids.js';
import { type Db, openPostgres } from '../src/store/db.js';
import { LeaseStore } from '../src/tokens/lease-store.js';
import { describeEachDatabase } from './support/databases.js';
import { testConfig } from './support/gatehouse.js';

const ACCOUNTS = 120;
const BATCH = 25;

/**
 * The refresher's claim as replicas run it (`LeaseStore.claimDue`, the SQL every replica sends), on
 * accounts that are all due: replicas claiming at the same time split them, a claim never returns an
 * account another replica holds, and the accounts of a replica that died come back once its leases
 * run out, journal included (tokens/README.md, crash windows). On PostgreSQL each replica has its own
 * connection pool; PGlite is one embedded database, so there both "replicas" share it.
 */
describeEachDatabase('the refresher’s claim across replicas', (t) => {
  let rt: Runtime;
  let second: Db | undefined;
  let replicaA: LeaseStore;
  let replicaB: LeaseStore;
  let projectId: string;

  beforeAll(async () => {
    const created = await createRuntime(testConfig({ GATEHOUSE_REFRESHER_ENABLED: 'false' }), { db: t.db() });
    if (!created.ok) throw new Error(created.error);
    rt = created.runtime;
    projectId = (await rt.projects.create('claims')).id;
    const config = await rt.authConfigs.create(projectId, {
      providerId: 'sandbox',
      clientId: 'claims',
      clientSecret: 'claims-secret',
      settings: { baseUrl: 'http://127.0.0.1:9' },
    });
    if (!config.ok) throw new Error(config.error.message);
    const transitions = new AccountTransitions(rt.accountStore, rt.events);
    for (let i = 0; i < ACCOUNTS; i++) {
      await rt.db.transaction(async (tx) => {
        const account = await rt.accountStore.insert(
          tx,
          projectId,
          newId('ca'),
          {
            authConfigId: config.value.id,
            userId: `user-${i}`,
            groupId: null,
            providerId: 'sandbox',
            label: null,
          },
          {
            scopes: ['tasks:read'],
            credentialsCt: 'sealed',
            accessTokenExpiresAt: new Date(Date.now() + 3_600_000),
            nextRefreshAt: new Date(Date.now() + 3_000_000),
            subject: null,
            displayName: null,
            connectionConfig: {},
          },
        );
        await transitions.activate(tx, account);
      });
    }
    const url = t.url();
    second = url ? await openPostgres(url) : undefined;
    replicaA = new LeaseStore(rt.db);
    replicaB = new LeaseStore(second ?? rt.db);
  }, 60_000);
  afterAll(async () => {
    await rt?.close();
    await second?.close();
  });

  /** Every account due, oldest first by creation order, and no lease held. */
  const allDue = () =>
    rt.db.query(
      `UPDATE connected_accounts SET refresh_lease_id = NULL, refresh_lease_until = NULL,
         refresh_journal_ct = NULL, refresh_journal_at = NULL, next_refresh_at = now() - interval '1 hour'
       WHERE project_id = $1`,
      [projectId],
    );

  it('two replicas claiming at the same time split the due accounts: none is taken twice, none is left', async () => {
    await allDue();
    const taken = new Map<string, string>();
    for (let round = 0; round < ACCOUNTS / BATCH + 1; round++) {
      const [a, b] = await Promise.all([
        replicaA.claimDue(`lease_a${round}`, 30_000, BATCH),
        replicaB.claimDue(`lease_b${round}`, 30_000, BATCH),
      ]);
      for (const row of [...a, ...b]) {
        expect(taken.get(row.id), `account ${row.id} claimed twice`).toBeUndefined();
        taken.set(row.id, row.refreshLeaseId!);
      }
    }
    expect(taken.size).toBe(ACCOUNTS);
    // While every lease is held, neither replica gets anything.
    expect(await replicaA.claimDue('lease_late', 30_000, BATCH)).toEqual([]);
    expect(await replicaB.claimDue('lease_late', 30_000, BATCH)).toEqual([]);
  });

  it('a claim skips the oldest accounts another replica holds and takes the next ones', async () => {
    await allDue();
    const held = await replicaA.claimDue('lease_a', 30_000, BATCH * 2);
    const next = await replicaB.claimDue('lease_b', 30_000, BATCH);
    expect(next).toHaveLength(BATCH);
    const heldIds = new Set(held.map((r) => r.id));
    expect(next.filter((r) => heldIds.has(r.id))).toEqual([]);
  });

  it('the accounts of a replica that died are claimed again once its leases run out, journal kept', async () => {
    await allDue();
    // The dead replica: a one-second lease, a journal written for one account, then nothing more.
    const dead = await replicaA.claimDue('lease_dead', 1_000, BATCH);
    expect(dead).toHaveLength(BATCH);
    expect(
      await replicaA.writeJournal(projectId, dead[0]!.id, 'lease_dead', 'v1.journal-of-a-dead-replica'),
    ).toBe(true);
    const deadIds = new Set(dead.map((r) => r.id));
    const before = await replicaB.claimDue('lease_early', 30_000, ACCOUNTS);
    expect(before.filter((r) => deadIds.has(r.id))).toEqual([]);
    expect(before).toHaveLength(ACCOUNTS - BATCH);

    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const after = await replicaB.claimDue('lease_takeover', 30_000, ACCOUNTS);
    expect(new Set(after.map((r) => r.id))).toEqual(deadIds);
    const journaled = after.find((r) => r.id === dead[0]!.id)!;
    // The journal tells the new holder a refresh token may be in flight: its attempt is a recovery.
    expect(journaled.refreshJournalCt).toBe('v1.journal-of-a-dead-replica');
    expect(journaled.leaseHeld).toBe(true);
    // The dead replica's lease id no longer commits anything.
    expect(await replicaA.writeJournal(projectId, dead[1]!.id, 'lease_dead', 'v1.late')).toBe(false);
  });
});
