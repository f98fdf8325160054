import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCredentials } from '../src/accounts/credentials.js';
import { TEST_DATABASE_URL } from './support/databases.js';
import { createFleet, type Fleet, type FleetAccount } from './support/fleet.js';
import type { Replica } from './support/replicas.js';
import { sumMetric } from './support/replicas.js';
import { eventually } from './support/webhook-receiver.js';

const suite = TEST_DATABASE_URL ? describe : describe.skip;
if (!TEST_DATABASE_URL)
  console.warn(
    '[gatehouse tests] multi-replica refresh and crash tests SKIPPED: they need GATEHOUSE_TEST_DATABASE_URL',
  );
const label = TEST_DATABASE_URL
  ? 'token refresh across real replicas [PostgreSQL]'
  : 'token refresh across real replicas [PostgreSQL: skipped, GATEHOUSE_TEST_DATABASE_URL not set]';

const ACCOUNTS = 2_000;
const TOKEN_TTL_S = 40;
const LOAD_MS = 75_000;

suite(label, () => {
  describe('4 replicas, 2,000 rotating grants, several refresh cycles under execute traffic', () => {
    let fleet: Fleet;
    let replicas: Replica[];
    let accounts: FleetAccount[];
    beforeAll(async () => {
      fleet = await createFleet({ accessTokenTtlSeconds: TOKEN_TTL_S });
      const env = {
        GATEHOUSE_REFRESHER_INTERVAL_MS: '1000',
        GATEHOUSE_REFRESHER_BATCH_SIZE: '50',
        GATEHOUSE_REFRESH_LEASE_TIMEOUT_MS: '20000',
      };
      replicas = await Promise.all(Array.from({ length: 4 }, () => fleet.startReplica(env)));
      // No `openid`: refresh answers carry no id_token, whose RS256 signature is most of the sandbox's
      // cost per refresh (measured: ~150 refreshes/s with it, ~230/s without, on one core).
      accounts = await fleet.mintAccounts(ACCOUNTS, (TOKEN_TTL_S / 2) * 1000, ['tasks:read']);
    }, 180_000);
    afterAll(() => fleet?.close(), 60_000);

    it('no reuse detected, no account lost, every token refreshed before it expired', async () => {
      const { rt, sandbox, projectId, apiKey } = fleet;
      const started = Date.now();
      const outcomes = { ok: 0, failed: [] as string[] };
      let maxExpired = 0;
      let maxInactive = 0;
      const until = started + LOAD_MS;
      const traffic = async () => {
        while (Date.now() < until) {
          const account = accounts[Math.floor(Math.random() * accounts.length)]!;
          const replica = replicas[Math.floor(Math.random() * replicas.length)]!;
          const res = await fetch(`${replica.url}/v1/tools/acme.tasks.list/execute`, {
            method: 'POST',
            headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({ userId: account.userId, arguments: { limit: 1 } }),
          });
          const body = (await res.json()) as { successful?: boolean; error?: { code: string } };
          if (res.status === 200 && body.successful) outcomes.ok++;
          else outcomes.failed.push(`${res.status} ${body.error?.code}`);
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      const sampler = async () => {
        while (Date.now() < until) {
          const { rows } = await rt.db.query<{ expired: string; inactive: string }>(
            `SELECT count(*) FILTER (WHERE status = 'ACTIVE' AND access_token_expires_at <= now()) AS expired,
                    count(*) FILTER (WHERE status <> 'ACTIVE') AS inactive
             FROM connected_accounts WHERE project_id = $1`,
            [projectId],
          );
          maxExpired = Math.max(maxExpired, Number(rows[0]!.expired));
          maxInactive = Math.max(maxInactive, Number(rows[0]!.inactive));
          await new Promise((r) => setTimeout(r, 1_000));
        }
      };
      await Promise.all([traffic(), traffic(), sampler()]);

      const texts = await Promise.all(replicas.map((r) => r.metrics()));
      const refreshed = sumMetric(texts, 'gatehouse_token_refresh_results_total', { outcome: 'success' });
      const failedRefreshes = sumMetric(texts, 'gatehouse_token_refresh_results_total', {
        outcome: 'failure',
      });
      const lateRefreshes = sumMetric(texts, 'gatehouse_token_seconds_to_expiry_at_refresh_bucket', {
        le: '0',
      });
      const stats = sandbox.stats();
      const seconds = (Date.now() - started) / 1000;
      console.log(
        `[multi-replica] ${seconds.toFixed(0)} s: ${refreshed} refreshes (${(refreshed / seconds).toFixed(0)}/s), ` +
          `${failedRefreshes} failed, ${outcomes.ok} executes ok, ${outcomes.failed.length} failed; sandbox ${JSON.stringify(stats)}; ` +
          `contention inline_wait=${sumMetric(texts, 'gatehouse_token_lease_contention_total', { kind: 'inline_wait' })}`,
      );

      expect(stats.refreshReuseDetected).toBe(0);
      expect(maxInactive).toBe(0);
      expect(maxExpired).toBe(0);
      expect(lateRefreshes).toBe(0);
      expect(outcomes.failed).toEqual([]);
      expect(refreshed).toBeGreaterThanOrEqual(ACCOUNTS * 3);
      // Stopped replicas finish their refreshes in flight; then every refresh the provider performed
      // must have been committed exactly once (one connection.refreshed event per committed refresh).
      await Promise.all(replicas.map((r) => r.stop()));
      const { rows: committed } = await rt.db.query<{ n: string }>(
        "SELECT count(*) AS n FROM events WHERE project_id = $1 AND type = 'connection.refreshed'",
        [projectId],
      );
      expect(Number(committed[0]!.n)).toBe(sandbox.stats().refreshGrants);

      const { rows } = await rt.db.query<{ id: string; status: string; credentials_ct: string }>(
        'SELECT id, status, credentials_ct FROM connected_accounts WHERE project_id = $1',
        [projectId],
      );
      expect(rows.filter((r) => r.status === 'ACTIVE')).toHaveLength(ACCOUNTS);
      let working = 0;
      for (let i = 0; i < rows.length; i += 50) {
        const results = await Promise.all(
          rows.slice(i, i + 50).map(async (r) => {
            const creds = await openCredentials(rt.vault, projectId, r.id, r.credentials_ct);
            if (!creds.ok) return false;
            const res = await fetch(`${sandbox.apiBaseUrl}/me`, {
              headers: { authorization: `Bearer ${creds.value.accessToken}` },
            });
            await res.arrayBuffer();
            return res.status === 200;
          }),
        );
        working += results.filter(Boolean).length;
      }
      expect(working).toBe(ACCOUNTS);
      // No replica wrote a token to its output (logs at warn level, plus whatever it printed).
      const issued = sandbox.issuedTokens();
      const output = replicas.flatMap((r) => r.output).join('\n');
      const leaked = [...issued.accessTokens, ...issued.refreshTokens].filter((t) => output.includes(t));
      expect(leaked).toEqual([]);
    }, 180_000);
  });

  // request: the replica dies before the provider reads its request (crash window 2: nothing happened);
  // response: the provider rotated the token and the replica dies before the answer arrives (window 3).
  describe.each(['request', 'response'] as const)(
    'crash: kill -9 a replica while it holds leases (provider delays the %s)',
    (phase) => {
      const LEASE_MS = 8_000;
      let fleet: Fleet;
      afterAll(() => fleet?.close(), 60_000);

      it('the others take over after the lease timeout; no account ends REVOKED, no reuse detected', async () => {
        // The provider tolerates a rotated-out refresh token for 60 s: the crash window between its
        // answer and our commit is then recoverable (tokens/README.md, window 3).
        fleet = await createFleet({ accessTokenTtlSeconds: 600, refreshTokenReuseWindowSeconds: 60 });
        const { rt, sandbox, projectId } = fleet;
        const accounts = await fleet.mintAccounts(150, 0, ['tasks:read']);
        await rt.db.query(
          "UPDATE connected_accounts SET next_refresh_at = now() - interval '1 second' WHERE project_id = $1",
          [projectId],
        );
        // A slow token endpoint keeps the first replica's refreshes in flight long enough to kill it mid-way.
        sandbox.faults.add({
          match: { method: 'POST', pathPrefix: '/oauth/token' },
          kind: 'latency',
          latencyMs: 2_500,
          phase,
          times: 0,
        });
        const env = {
          GATEHOUSE_REFRESHER_INTERVAL_MS: '500',
          GATEHOUSE_REFRESHER_BATCH_SIZE: '50',
          GATEHOUSE_REFRESH_LEASE_TIMEOUT_MS: String(LEASE_MS),
        };
        const doomed = await fleet.startReplica(env);
        await eventually(
          async () =>
            (
              await rt.db.query<{ n: string }>(
                `SELECT count(*) AS n FROM connected_accounts
                 WHERE project_id = $1 AND refresh_journal_ct IS NOT NULL AND refresh_lease_until > now()`,
                [projectId],
              )
            ).rows[0]!.n,
          (n) => Number(n) >= 20,
          30_000,
        );
        // Kill it once the provider has its requests: still waiting to read them (request phase), or
        // having rotated the tokens with the answers held back (response phase).
        await eventually(
          async () => sandbox.stats(),
          (st) => (phase === 'response' ? st.refreshGrants : st.faultsApplied) >= 20,
          30_000,
        );
        await doomed.crash();
        // What the dead replica left behind: leases that nobody may touch before they run out.
        const { rows: held } = await rt.db.query<{ id: string; lease_until: Date }>(
          `SELECT id, refresh_lease_until AS lease_until FROM connected_accounts
           WHERE project_id = $1 AND refresh_journal_ct IS NOT NULL AND refresh_lease_until > now()`,
          [projectId],
        );
        expect(held.length).toBeGreaterThan(0);
        const survivors = await Promise.all([fleet.startReplica(env), fleet.startReplica(env)]);

        const rows = await eventually(
          async () =>
            (
              await rt.db.query<{
                id: string;
                status: string;
                version: number;
                journal: boolean;
                refreshed: Date;
              }>(
                `SELECT id, status, version, refresh_journal_ct IS NOT NULL AS journal, last_refreshed_at AS refreshed
               FROM connected_accounts WHERE project_id = $1`,
                [projectId],
              )
            ).rows,
          (all) => all.every((r) => r.status !== 'ACTIVE' || (r.version > 1 && !r.journal)),
          90_000,
        );
        expect(rows).toHaveLength(accounts.length);
        expect(rows.filter((r) => r.status !== 'ACTIVE')).toEqual([]);
        const stats = sandbox.stats();
        expect(stats.refreshReuseDetected).toBe(0);
        // In window 3 the dead replica's requests rotated the tokens: recovered inside the reuse window.
        if (phase === 'response') expect(stats.refreshReuseInWindow).toBeGreaterThan(0);
        // Nobody touched the dead replica's accounts before its leases ran out.
        const byId = new Map(rows.map((r) => [r.id, r]));
        for (const h of held)
          expect(byId.get(h.id)!.refreshed.getTime()).toBeGreaterThanOrEqual(h.lease_until.getTime());
        const texts = await Promise.all(survivors.map((r) => r.metrics()));
        expect(
          sumMetric(texts, 'gatehouse_token_lease_contention_total', { kind: 'takeover' }),
        ).toBeGreaterThanOrEqual(held.length);
        console.log(
          `[crash/${phase}] killed replica held ${held.length} leases; survivors recovered them; sandbox ${JSON.stringify(stats)}`,
        );
        sandbox.faults.clear();
      }, 180_000);
    },
  );
});
