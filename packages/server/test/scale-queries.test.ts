import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountStore } from '../src/accounts/store.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { newId } from '../src/shared/ids.js';
import { type Db, openPostgres, type QueryResult, type Row } from '../src/store/db.js';
import { LeaseStore } from '../src/tokens/lease-store.js';
import { createScratchPostgres, TEST_DATABASE_URL } from './support/databases.js';
import { testConfig } from './support/gatehouse.js';

/**
 * The list filters and the refresher's claim use their indexes, checked on the plans PostgreSQL makes
 * for the exact SQL the code sends. Deterministic on a small table: sequential scans, bitmap scans and
 * sorts are switched off (a query no index can answer in order still gets a Seq Scan or a Sort, at a
 * prohibitive cost), and each query is also planned as a generic prepared statement (what a driver's
 * named statement would get). `npm run bench scale` shows the same plans chosen freely at 1M rows.
 */
const suite = TEST_DATABASE_URL ? describe : describe.skip;
const label = TEST_DATABASE_URL
  ? 'list filters and the refresh claim use indexes [PostgreSQL]'
  : 'list filters and the refresh claim use indexes [PostgreSQL: skipped, GATEHOUSE_TEST_DATABASE_URL not set]';

interface Captured {
  sql: string;
  params: readonly unknown[];
}

/** A Db that remembers the last statement the code under test sent (then runs it). */
function recording(db: Db): { db: Db; last: () => Captured } {
  let last: Captured | undefined;
  const wrapped: Db = {
    ...db,
    kind: db.kind,
    query<R extends Row>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
      last = { sql, params };
      return db.query<R>(sql, params);
    },
    relaxed: () => db.relaxed(),
    transaction: (fn) => db.transaction(fn),
    close: () => db.close(),
  };
  return {
    db: wrapped,
    last: () => {
      if (!last) throw new Error('no statement captured');
      return last;
    },
  };
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodes = (n: PlanNode): PlanNode[] => [n, ...(n.Plans ?? []).flatMap(nodes)];

suite(label, () => {
  let rt: Runtime;
  let db: Db;
  let drop: () => Promise<void>;
  let projectId: string;

  /**
   * The custom plan of a captured statement (what the code gets: `pg` sends unnamed statements, planned
   * with their values) and, with `generic`, its generic plan (what a named prepared statement gets).
   */
  async function plans(
    c: Captured,
    generic: boolean,
    seqscan = false,
  ): Promise<Array<{ kind: string; plan: PlanNode[] }>> {
    return db.transaction(async (tx) => {
      // On a small table bitmap scans plus a sort are cheapest; at scale they are not (bench scale).
      // With them off, a plan without a Sort node exists only if an index hands rows over in order.
      for (const method of [...(seqscan ? [] : ['seqscan']), 'bitmapscan', 'sort'])
        await tx.query(`SET LOCAL enable_${method} = off`);
      const custom = await tx.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
        `EXPLAIN (FORMAT JSON) ${c.sql}`,
        c.params,
      );
      const customPlan = { kind: 'custom', plan: nodes(custom.rows[0]!['QUERY PLAN'][0]!.Plan) };
      if (!generic) return [customPlan];
      const name = `scale_${Math.random().toString(36).slice(2, 10)}`;
      await tx.query(`PREPARE ${name} AS ${c.sql}`);
      try {
        await tx.query('SET LOCAL plan_cache_mode = force_generic_plan');
        const literal = (v: unknown) =>
          v === null
            ? 'NULL'
            : v instanceof Date
              ? `'${v.toISOString()}'`
              : typeof v === 'number'
                ? String(v)
                : `'${String(v).replace(/'/g, "''")}'`;
        const genericPlan = await tx.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
          `EXPLAIN (FORMAT JSON) EXECUTE ${name}(${c.params.map(literal).join(', ')})`,
        );
        return [customPlan, { kind: 'generic', plan: nodes(genericPlan.rows[0]!['QUERY PLAN'][0]!.Plan) }];
      } finally {
        await tx.query(`DEALLOCATE ${name}`);
      }
    });
  }

  /** The plans read `index` (no table sequentially) and hand rows over in index order, unsorted. */
  async function expectIndex(c: Captured, index: string | string[], options: { generic?: boolean } = {}) {
    const accepted = Array.isArray(index) ? index : [index];
    for (const { kind, plan } of await plans(c, options.generic ?? false)) {
      const types = plan.map((n) => n['Node Type']);
      const shown = `${kind} plan of ${c.sql}\n${plan.map((n) => `${n['Node Type']} ${n['Index Name'] ?? ''}`).join(' / ')}`;
      expect(types, shown).not.toContain('Seq Scan');
      expect(
        plan.some((n) => accepted.includes(n['Index Name'] ?? '')),
        shown,
      ).toBe(true);
      expect(types, shown).not.toContain('Sort');
    }
  }

  beforeAll(async () => {
    const scratch = await createScratchPostgres();
    drop = scratch.drop;
    db = await openPostgres(scratch.url);
    const created = await createRuntime(testConfig({ GATEHOUSE_DATABASE_URL: scratch.url }), { db });
    if (!created.ok) throw new Error(created.error);
    rt = created.runtime;
    projectId = (await rt.projects.create('scale')).id;
    const config = await rt.authConfigs.create(projectId, {
      providerId: 'sandbox',
      clientId: 'scale',
      clientSecret: 'scale-secret',
      settings: { baseUrl: 'http://127.0.0.1:9' },
    });
    if (!config.ok) throw new Error(config.error.message);
    for (let i = 0; i < 30; i++) {
      await rt.accountStore.insert(
        db,
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
          nextRefreshAt: i % 2 ? null : new Date(Date.now() + 3_000_000),
          subject: null,
          displayName: null,
          connectionConfig: {},
        },
      );
    }
    // Enough rows that walking the primary key and filtering is visibly worse than the right index:
    // copies of the rows above, in this project and another one, in every status but FAILED.
    const other = (await rt.projects.create('other')).id;
    await db.query(
      `INSERT INTO connected_accounts (id, project_id, auth_config_id, user_id, provider_id, status, scopes,
         credentials_ct, access_token_expires_at, connection_config, next_refresh_at)
       SELECT 'ca_copy' || lpad(n::text, 6, '0') || a.id, CASE WHEN n % 2 = 0 THEN a.project_id ELSE $1 END,
         a.auth_config_id, a.user_id, a.provider_id, (ARRAY['ACTIVE', 'EXPIRED', 'REVOKED', 'INITIATED'])[1 + n % 4],
         a.scopes, a.credentials_ct, a.access_token_expires_at, a.connection_config, a.next_refresh_at
       FROM connected_accounts a, generate_series(1, 100) AS n`,
      [other],
    );
    await db.query("UPDATE connected_accounts SET status = 'ACTIVE' WHERE id NOT LIKE 'ca_copy%'");
    const audit = new AuditLog(db);
    await Promise.all(
      Array.from({ length: 3000 }, (_, i) =>
        audit.record({
          projectId: i % 2 ? projectId : other,
          kind: 'tool.execute',
          executionId: `exe_${i}`,
          userId: `user-${i % 40}`,
          agentId: `agent-${i % 30}`,
          toolSlug: `acme.tool${i % 20}`,
          providerId: 'sandbox',
          connectedAccountId: null,
          outcome: i % 7 ? 'success' : 'error',
          errorCode: null,
          upstreamStatus: 200,
          latencyMs: 1,
          attempts: 1,
          traceId: null,
          detail: {},
        }),
      ),
    );
    await db.query('ANALYZE');
  }, 60_000);
  afterAll(async () => {
    await rt?.close();
    await db?.close();
    await drop?.();
  });

  it('audit list: each filter walks its index newest first, and a time range becomes id bounds', async () => {
    const rec = recording(db);
    const audit = new AuditLog(rec.db);
    const page = { limit: 50 };
    const cases: Array<[Parameters<AuditLog['list']>[1], string | string[]]> = [
      [{ executionId: 'exe_3' }, 'audit_events_by_execution'],
      [{ agentId: 'agent-1' }, 'audit_events_by_agent'],
      [{ tool: 'acme.tool2' }, 'audit_events_by_tool'],
      [{ outcome: 'no-such-outcome' }, 'audit_events_by_outcome'],
      [{ userId: 'user-1' }, 'audit_events_by_user'],
    ];
    // No filter, or a time range (id bounds): the project's index or the primary key, both walk ids.
    const byId = ['audit_events_by_project', 'audit_events_pkey'];
    cases.push(
      [{}, byId],
      [{ since: new Date(Date.now() - 86_400_000) }, byId],
      [{ until: new Date(Date.now() - 86_400_000) }, byId],
      [{ since: new Date(Date.now() - 2 * 86_400_000), until: new Date(Date.now() - 86_400_000) }, byId],
    );
    for (const [filter, index] of cases) {
      await audit.list(projectId, filter, page);
      await expectIndex(rec.last(), index);
    }
    // A time range is an index condition on id (bounds), not a filter applied row by row.
    await audit.list(projectId, { until: new Date(Date.now() - 86_400_000) }, page);
    expect(rec.last().sql).toMatch(/id < \$\d/);
  });

  it('account list: by project and by status (also one no account has)', async () => {
    const rec = recording(db);
    const accounts = new AccountStore(rec.db);
    await accounts.list(projectId, {}, { limit: 50 });
    // With a single project, walking the primary key backwards is as good.
    await expectIndex(rec.last(), ['connected_accounts_by_project', 'connected_accounts_pkey']);
    await accounts.list(projectId, { status: 'FAILED' }, { limit: 50 });
    await expectIndex(rec.last(), 'connected_accounts_by_status');
  });

  it('the refresher’s claim uses its index with scheduled, unscheduled (NULL) and nothing due', async () => {
    const rec = recording(db);
    const leases = new LeaseStore(rec.db);
    const states = [
      "UPDATE connected_accounts SET next_refresh_at = now() + interval '1 hour'",
      'UPDATE connected_accounts SET next_refresh_at = NULL',
      "UPDATE connected_accounts SET next_refresh_at = now() - interval '1 minute'",
    ];
    for (const state of states) {
      await db.query(state);
      await db.query('UPDATE connected_accounts SET refresh_lease_id = NULL, refresh_lease_until = NULL');
      await leases.claimDue('lease_test', 30_000, 50);
      // The claim's inner SELECT sorts nothing: the index hands the accounts over oldest due first.
      // Its generic plan keeps the index too: the claim could be a named prepared statement. The lists
      // could not: a generic plan cannot know that a status matches nothing, and walks the primary key.
      await expectIndex(rec.last(), 'connected_accounts_refresh_claim', { generic: true });
      // With sequential scans allowed, the generic plan still reads accounts by index only: the
      // claimed ids reach the UPDATE as an array, not as a join the planner may hash over the table.
      const generic = (await plans(rec.last(), true, true)).find((p) => p.kind === 'generic')!;
      expect(
        generic.plan.map((n) => n['Node Type']),
        generic.plan.map((n) => `${n['Node Type']} ${n['Index Name'] ?? ''}`).join(' / '),
      ).not.toContain('Seq Scan');
    }
  });
});
