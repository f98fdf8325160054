import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it, vi } from 'vitest';
import { type AuditEntry, AuditLog } from '../src/audit/audit-log.js';
import { canonicalRow } from '../src/audit/chain.js';
import { verifyChain } from '../src/audit/verify.js';
import { ProjectStore } from '../src/projects/projects.js';
import { openPostgres, type Queryable } from '../src/store/db.js';
import { describeEachDatabase } from './support/databases.js';

const entry = (projectId: string, executionId: string, over: Partial<AuditEntry> = {}): AuditEntry => ({
  projectId,
  kind: 'tool.execute',
  executionId,
  userId: 'alice',
  agentId: 'support-bot',
  toolSlug: 'acme.tasks.list',
  providerId: 'acme',
  connectedAccountId: 'ca_1',
  outcome: 'success',
  errorCode: null,
  upstreamStatus: 200,
  latencyMs: 0.1 + 0.2,
  attempts: 1,
  traceId: null,
  detail: { arguments: { q: 'é "x"', n: 1e-7, deep: { z: 1, a: [true, null] } } },
  ...over,
});

const seqs = async (db: Queryable, projectId: string) =>
  (
    await db.query<{ seq: string }>(
      'SELECT seq::text AS seq FROM audit_events WHERE project_id = $1 ORDER BY audit_events.seq',
      [projectId],
    )
  ).rows.map((r) => Number(r.seq));

describeEachDatabase('audit group commit', (t) => {
  let projects: ProjectStore;
  beforeAll(() => {
    projects = new ProjectStore(t.db(), true);
  });

  it('concurrent calls share statements, each resolves once committed, and the chain verifies', async () => {
    const a = await projects.create('gc-a');
    const b = await projects.create('gc-b');
    const audit = new AuditLog(t.db());
    const ids = await Promise.all(
      Array.from({ length: 120 }, (_, i) => audit.record(entry(i % 3 === 0 ? b.id : a.id, `exe_${i}`))),
    );
    // Resolved means stored: every id is there as soon as its promise resolved.
    const { rows } = await t
      .db()
      .query<{ n: string }>('SELECT count(*)::text AS n FROM audit_events WHERE id = ANY($1)', [ids]);
    expect(Number(rows[0]!.n)).toBe(120);
    const { calls } = audit.commitStats;
    expect(calls.rows).toBe(120);
    // The first call goes out alone, the other 119 queue behind it and share what follows.
    expect(calls.batches).toBeLessThanOrEqual(3);
    expect(await verifyChain(t.db(), a.id)).toMatchObject({ ok: true, rows: 80, head: { seq: 80 } });
    expect(await verifyChain(t.db(), b.id, 7)).toMatchObject({ ok: true, rows: 40, head: { seq: 40 } });
  });

  it('with a journal, calls answered one after another gather their rows into one statement behind the answers', async () => {
    const p = await projects.create('gc-journal');
    const audit = new AuditLog(t.db());
    await audit.useJournal(mkdtempSync(join(tmpdir(), 'gatehouse-gc-journal-')));
    const count = async () =>
      Number(
        (
          await t
            .db()
            .query<{ n: string }>('SELECT count(*)::text AS n FROM audit_events WHERE project_id = $1', [
              p.id,
            ])
        ).rows[0]!.n,
      );
    try {
      // The linger timer is held still, so nothing but settled() can send: the test does not race it.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      const ids: string[] = [];
      for (let i = 0; i < 10; i++) ids.push(await audit.record(entry(p.id, `exe_${i}`)));
      vi.useRealTimers();
      expect(audit.commitStats.calls.rows).toBe(0); // every call answered, none waited for a statement
      expect(await count()).toBe(0);
      await audit.settled(); // a reader after an answer: sends at once and waits
      expect(audit.commitStats.calls).toEqual({ rows: 10, batches: 1 });
      expect(await count()).toBe(10);
      expect(await verifyChain(t.db(), p.id)).toMatchObject({ ok: true, rows: 10 });

      // Left alone, the linger timer sends them.
      await audit.record(entry(p.id, 'exe_late'));
      await expect.poll(count, { timeout: 5_000 }).toBe(11);
    } finally {
      vi.useRealTimers();
      await audit.close();
    }
  });

  it('a row the database refuses fails only its own call; the rest of its batch is written', async () => {
    const p = await projects.create('gc-poison');
    const audit = new AuditLog(t.db());
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        // jsonb refuses a NUL character: this row can never be stored.
        audit.record(entry(p.id, `exe_${i}`, i === 4 ? { detail: { bad: 'nul \u0000 here' } } : {})),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(
      Array.from({ length: 10 }, (_, i) => (i === 4 ? 'rejected' : 'fulfilled')),
    );
    expect(await seqs(t.db(), p.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await verifyChain(t.db(), p.id)).toMatchObject({ ok: true, rows: 9 });
  });

  it('a batch sent twice (a retry after a lost answer) stores each row once and keeps the chain', async () => {
    const p = await projects.create('gc-retry');
    const audit = new AuditLog(t.db());
    await audit.record(entry(p.id, 'exe_before'));
    const row = (id: string, n: number) => ({
      id,
      project_id: p.id,
      kind: 'tool.execute',
      execution_id: `exe_${n}`,
      user_id: null,
      agent_id: null,
      tool_slug: null,
      provider_id: null,
      connected_account_id: null,
      outcome: 'success',
      error_code: null,
      upstream_status: null,
      latency_ms: 1,
      attempts: 0,
      trace_id: null,
      detail: {},
      occurred_at: new Date().toISOString(),
      canonical: '',
    });
    // The canonical text must match what verify recomputes: built as the writer builds it.
    const appendRow = (id: string, n: number) => {
      const r = row(id, n);
      return {
        ...r,
        canonical: canonicalRow({
          id,
          projectId: p.id,
          occurredAt: new Date(r.occurred_at),
          kind: r.kind,
          executionId: r.execution_id,
          userId: null,
          agentId: null,
          toolSlug: null,
          providerId: null,
          connectedAccountId: null,
          outcome: r.outcome,
          errorCode: null,
          upstreamStatus: null,
          latencyMs: 1,
          attempts: 0,
          traceId: null,
          detail: {},
        }),
      };
    };
    const [a, b, c] = ['a', 'b', 'c'].map((x, n) => appendRow(`aud_000000000000000000000000${x}`, n));
    const send = (batch: unknown[]) =>
      t.db().query<{ n: number }>('SELECT audit_append($1::jsonb) AS n', [JSON.stringify(batch)]);
    expect((await send([a, b])).rows[0]!.n).toBe(2);
    expect((await send([a, b])).rows[0]!.n).toBe(0);
    expect(await seqs(t.db(), p.id)).toEqual([1, 2, 3]);
    expect(await verifyChain(t.db(), p.id)).toMatchObject({ ok: true, rows: 3, head: { seq: 3 } });
    // A new row sent twice in one batch, between stored ones (a journal replayed after a retry): once.
    expect((await send([a, c, b, c])).rows[0]!.n).toBe(1);
    const { rows } = await t
      .db()
      .query<{ id: string; seq: string }>('SELECT id, seq::text AS seq FROM audit_events WHERE id = $1', [
        c!.id,
      ]);
    expect(rows).toEqual([{ id: c!.id, seq: '4' }]);
    expect(await verifyChain(t.db(), p.id)).toMatchObject({ ok: true, rows: 4, head: { seq: 4 } });
  });

  it('writers on separate pools (replicas) interleave batches into one contiguous chain', async () => {
    if (t.kind !== 'postgres') return; // PGlite has one connection: there is no second writer.
    const p = await projects.create('gc-replicas');
    const q = await projects.create('gc-replicas-other');
    const dbs = await Promise.all([0, 1, 2].map(() => openPostgres(t.url()!, { max: 4 })));
    try {
      const writers = dbs.map((db, i) => new AuditLog(db, { syncCommit: i === 0 }));
      await Promise.all(
        writers.flatMap((w, d) =>
          Array.from({ length: 100 }, (_, i) => w.record(entry(i % 4 === 0 ? q.id : p.id, `exe_${d}_${i}`))),
        ),
      );
      const batches = writers.reduce((n, w) => n + w.commitStats.calls.batches, 0);
      expect(batches).toBeLessThan(300); // rows did share statements
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
    expect(await seqs(t.db(), p.id)).toEqual(Array.from({ length: 225 }, (_, i) => i + 1));
    expect(await verifyChain(t.db(), p.id)).toMatchObject({ ok: true, rows: 225, head: { seq: 225 } });
    expect(await verifyChain(t.db(), q.id)).toMatchObject({ ok: true, rows: 75, head: { seq: 75 } });
  });
});
