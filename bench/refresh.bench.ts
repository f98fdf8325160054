import { createFleet, type Fleet } from '../packages/server/test/support/fleet.js';
import { TEST_DATABASE_URL } from '../packages/server/test/support/scratch-postgres.js';
import { table } from './lib/report.js';

const ACCOUNTS = 600;
const REPLICA_ENV = {
  GATEHOUSE_REFRESHER_INTERVAL_MS: '200',
  GATEHOUSE_REFRESHER_BATCH_SIZE: '100',
  GATEHOUSE_REFRESH_LEASE_TIMEOUT_MS: '30000',
};

/**
 * Proactive refresh throughput with 1 and 4 real replicas (`gatehouse start` processes on one
 * PostgreSQL) against the sandbox, next to the floor measured in the same run: the raw rate at which
 * the sandbox's oidc-provider performs refresh_token grants when called directly (32 in flight).
 * Duplicates = refresh grants the provider performed beyond one per account (must be 0).
 */
export async function refreshBench(): Promise<void> {
  if (!TEST_DATABASE_URL) {
    console.log(
      '\nToken refresh: SKIPPED (set GATEHOUSE_TEST_DATABASE_URL to a PostgreSQL the bench may create databases in)',
    );
    return;
  }
  const fleet = await createFleet({ accessTokenTtlSeconds: 3600 });
  try {
    const raw = await rawRefreshRate(fleet);
    await fleet.startReplica(REPLICA_ENV);
    const one = await refreshAll(fleet);
    await Promise.all([1, 2, 3].map(() => fleet.startReplica(REPLICA_ENV)));
    const four = await refreshAll(fleet);
    table(
      `Token refresh: ${ACCOUNTS} due accounts refreshed by the proactive refresher (sandbox provider, PostgreSQL)`,
      ['path', 'refreshes/s', 'vs raw provider', 'duplicates', 'reuse detected'],
      [
        ['raw refresh grants at the sandbox (floor)', raw, '1.00x', '-', '-'],
        ['1 replica', one.rate, `${(one.rate / raw).toFixed(2)}x`, String(one.duplicates), String(one.reuse)],
        [
          '4 replicas',
          four.rate,
          `${(four.rate / raw).toFixed(2)}x`,
          String(four.duplicates),
          String(four.reuse),
        ],
      ],
    );
    const clean = one.duplicates === 0 && four.duplicates === 0 && one.reuse === 0 && four.reuse === 0;
    console.log(`  duplicate refreshes: ${clean ? '0 (met)' : 'SOME (NOT met)'}`);
    console.log(
      '  note: 2 cores are shared by the replicas, PostgreSQL and the sandbox; the provider is the ceiling.',
    );
  } finally {
    await fleet.close();
  }
}

/** The provider alone: refresh_token grants sent straight to the sandbox, 32 in flight. */
async function rawRefreshRate(fleet: Fleet): Promise<number> {
  const { sandbox, client } = fleet;
  const grants = await Promise.all(
    Array.from({ length: ACCOUNTS }, () =>
      sandbox.mintGrant({ clientId: client.clientId, userId: 'alice', scopes: ['tasks:read'] }),
    ),
  );
  const basic = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next < grants.length) {
        const grant = grants[next++]!;
        const res = await fetch(`${sandbox.issuer}/token`, {
          method: 'POST',
          headers: { authorization: basic, 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: grant.refreshToken }),
        });
        await res.arrayBuffer();
        if (res.status !== 200) throw new Error(`raw refresh answered ${res.status}`);
      }
    }),
  );
  return grants.length / ((performance.now() - started) / 1000);
}

/** Mints ACCOUNTS fresh accounts, makes them all due at once, and times the replicas refreshing them. */
async function refreshAll(fleet: Fleet): Promise<{ rate: number; duplicates: number; reuse: number }> {
  const { rt, sandbox, projectId } = fleet;
  const accounts = await fleet.mintAccounts(ACCOUNTS, 0, ['tasks:read']);
  const ids = accounts.map((a) => a.id);
  // Let the refresher schedule them first (not due: 1 h tokens), so only the timed phase refreshes.
  await waitFor(async () => count(fleet, ids, 'next_refresh_at IS NOT NULL'), ACCOUNTS);
  const before = sandbox.stats();
  const started = performance.now();
  await rt.db.query(
    "UPDATE connected_accounts SET next_refresh_at = now() - interval '1 second' WHERE project_id = $1 AND id = ANY($2)",
    [projectId, ids],
  );
  await waitFor(async () => count(fleet, ids, 'version > 1'), ACCOUNTS);
  const seconds = (performance.now() - started) / 1000;
  await new Promise((r) => setTimeout(r, 500)); // any duplicate in flight would land by now
  const after = sandbox.stats();
  return {
    rate: ACCOUNTS / seconds,
    duplicates: after.refreshGrants - before.refreshGrants - ACCOUNTS,
    reuse: after.refreshReuseDetected - before.refreshReuseDetected,
  };
}

async function count(fleet: Fleet, ids: string[], condition: string): Promise<number> {
  const { rows } = await fleet.rt.db.query<{ n: string }>(
    `SELECT count(*) AS n FROM connected_accounts WHERE project_id = $1 AND id = ANY($2) AND ${condition}`,
    [fleet.projectId, ids],
  );
  return Number(rows[0]!.n);
}

async function waitFor(read: () => Promise<number>, target: number): Promise<void> {
  const deadline = Date.now() + 120_000;
  while ((await read()) < target) {
    if (Date.now() > deadline) throw new Error('refresh bench: timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}
