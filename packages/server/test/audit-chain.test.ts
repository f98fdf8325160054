import { afterAll, beforeAll, expect, it } from 'vitest';
import { type AuditEntry, AuditLog } from '../src/audit/audit-log.js';
import { canonicalJson, canonicalRow } from '../src/audit/chain.js';
import { type ChainVerdict, verifyChain } from '../src/audit/verify.js';
import { openPostgres } from '../src/store/db.js';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

const entry = (projectId: string, over: Partial<AuditEntry> = {}): AuditEntry => ({
  projectId,
  kind: 'tool.execute',
  executionId: 'exe_test',
  userId: 'alice',
  agentId: 'support-bot',
  toolSlug: 'acme.tasks.list',
  providerId: 'acme',
  connectedAccountId: 'ca_1',
  outcome: 'success',
  errorCode: null,
  upstreamStatus: 200,
  latencyMs: 12.345678,
  attempts: 1,
  traceId: null,
  detail: { arguments: { q: 'é, "quoted"\nline', n: 3, nested: { b: 1, a: [1.5, null, true] } } },
  ...over,
});

/** What an attacker with SQL access does: switch the append-only trigger off, then edit. */
async function tamper(
  db: { query(sql: string, p?: unknown[]): Promise<unknown> },
  sql: string,
  params: unknown[],
) {
  await db.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update');
  try {
    await db.query(sql, params);
  } finally {
    await db.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update');
  }
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describeEachDatabase('tamper-evident audit', (t) => {
  let gh: TestGatehouse;
  let audit: AuditLog;
  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    audit = new AuditLog(t.db());
  });
  afterAll(() => gh.close());

  // Every project's trail starts with its creation (its first key, admin.api_key.created): seq 1.
  const verify = async (key: string) => {
    const res = await gh.call('GET', '/v1/audit/verify', { key });
    expect(res.status).toBe(200);
    return res.body as ChainVerdict;
  };

  it('an admin changing policies is audited with the acting key, and the chain verifies', async () => {
    const { projectId, apiKey } = await gh.createProject('chain');
    const put = await gh.call('PUT', '/v1/policies', {
      key: apiKey,
      body: { sets: [{ name: 'base', policies: 'permit(principal, action, resource);' }] },
    });
    expect(put.status).toBe(200);
    const created = await gh.call('POST', '/v1/api-keys', {
      key: apiKey,
      body: { name: 'agent', role: 'runtime' },
    });
    expect(created.status).toBe(201);
    for (let i = 0; i < 5; i++) await audit.record(entry(projectId, { executionId: `exe_${i}` }));
    const keys = (await gh.call('GET', '/v1/api-keys', { key: apiKey })).body as {
      items: Array<{ id: string; name: string }>;
    };
    const actingKeyId = keys.items.find((k) => k.name === 'default')!.id;

    const list = (await gh.call('GET', '/v1/audit?limit=50', { key: apiKey })).body as {
      items: Array<{ kind: string; detail: Record<string, unknown>; seq: number }>;
    };
    const policies = list.items.find((e) => e.kind === 'admin.policies.updated');
    expect(policies?.detail).toMatchObject({ apiKeyId: actingKeyId, version: 1, sets: [{ name: 'base' }] });
    const keyRow = (id: string) =>
      list.items.find((e) => e.kind === 'admin.api_key.created' && e.detail.keyId === id);
    expect(keyRow((created.body as { id: string }).id)?.detail).toMatchObject({
      apiKeyId: actingKeyId,
      role: 'runtime',
    });
    expect(keyRow(actingKeyId)?.detail).toMatchObject({ apiKeyId: 'admin_token', role: 'admin', via: 'api' });
    expect(JSON.stringify(list.items)).not.toContain((created.body as { key: string }).key);

    const verdict = await verify(apiKey);
    expect(verdict).toMatchObject({ ok: true, rows: 8, unchained: 0, head: { seq: 8 } });
    expect(verdict.firstBroken).toBeUndefined();
    // A runtime key may read the trail but not verify it.
    const runtimeKey = (created.body as { key: string }).key;
    expect((await gh.call('GET', '/v1/audit/verify', { key: runtimeKey })).status).toBe(403);
  });

  it('a row altered with SQL is named exactly', async () => {
    const { projectId, apiKey } = await gh.createProject('altered');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await audit.record(entry(projectId, { executionId: `exe_${i}` })));
    await tamper(t.db(), `UPDATE audit_events SET outcome = 'upstream_error' WHERE id = $1`, [ids[3]]);
    const verdict = await verify(apiKey);
    expect(verdict.ok).toBe(false);
    expect(verdict.firstBroken).toMatchObject({ id: ids[3], seq: 5 });
    expect(verdict.firstBroken?.reason).toMatch(/altered/);
    // The same verdict when the rows are read in pages smaller than the chain.
    expect((await verifyChain(t.db(), projectId, 2)).firstBroken).toMatchObject({ id: ids[3], seq: 5 });
  });

  it('a delegation chain is covered by its row hash; rows without one hash exactly as before it existed', async () => {
    const { projectId, apiKey } = await gh.createProject('delegated rows');
    const plain = await audit.record(entry(projectId, { executionId: 'exe_plain' }));
    const chain = { sub: 'summariser', act: { sub: 'support-agent' } };
    const delegated = await audit.record(entry(projectId, { executionId: 'exe_dlg', delegation: chain }));
    await audit.record(entry(projectId, { executionId: 'exe_after' }));
    expect(await verify(apiKey)).toMatchObject({ ok: true, rows: 4 });

    // The canonical text of a row without delegation is the 17-field array of migration 0012.
    const fields = { ...entry(projectId), id: 'aud_x', occurredAt: new Date(0) };
    const before0015 = canonicalJson([
      fields.id,
      fields.projectId,
      fields.occurredAt.toISOString(),
      fields.kind,
      fields.executionId,
      fields.userId,
      fields.agentId,
      fields.toolSlug,
      fields.providerId,
      fields.connectedAccountId,
      fields.outcome,
      fields.errorCode,
      fields.upstreamStatus,
      fields.latencyMs,
      fields.attempts,
      fields.traceId,
      fields.detail,
    ]);
    expect(canonicalRow({ ...fields, delegation: null })).toBe(before0015);
    expect(canonicalRow({ ...fields, delegation: chain })).not.toBe(before0015);

    // Rewriting who acted, or claiming a chain for a call made with a key, is named.
    await tamper(t.db(), `UPDATE audit_events SET delegation = '{"sub":"support-agent"}' WHERE id = $1`, [
      delegated,
    ]);
    expect((await verify(apiKey)).firstBroken).toMatchObject({ id: delegated, seq: 3 });
    await tamper(t.db(), `UPDATE audit_events SET delegation = $2::jsonb WHERE id = $1`, [
      delegated,
      JSON.stringify(chain),
    ]);
    expect(await verify(apiKey)).toMatchObject({ ok: true });
    await tamper(t.db(), `UPDATE audit_events SET delegation = '{"sub":"x"}' WHERE id = $1`, [plain]);
    expect((await verify(apiKey)).firstBroken).toMatchObject({ id: plain, seq: 2 });
  });

  it('a deleted row is detected, in the middle and at the end', async () => {
    const { projectId, apiKey } = await gh.createProject('deleted');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push(await audit.record(entry(projectId, { executionId: `exe_${i}` })));
    await tamper(t.db(), 'DELETE FROM audit_events WHERE id = $1', [ids[5]]);
    expect((await verify(apiKey)).firstBroken).toMatchObject({ id: ids[4], seq: 6 });
    await tamper(t.db(), 'DELETE FROM audit_events WHERE id = $1', [ids[2]]);
    const verdict = await verify(apiKey);
    expect(verdict.firstBroken).toMatchObject({ id: ids[3], seq: 5 });
    expect(verdict.firstBroken?.reason).toMatch(/seq 4 missing/);
  });

  it('exports the filtered trail as NDJSON and CSV that parse back', async () => {
    const { projectId, apiKey } = await gh.createProject('export');
    for (let i = 0; i < 7; i++)
      await audit.record(entry(projectId, { userId: i % 2 ? 'bob' : 'alice', executionId: `exe_${i}` }));
    const api = (await gh.call('GET', '/v1/audit?userId=alice&limit=200', { key: apiKey })).body as {
      items: Array<Record<string, unknown>>;
    };
    expect(api.items).toHaveLength(4);

    const nd = await gh.call('GET', '/v1/audit/export?format=ndjson&userId=alice', { key: apiKey });
    expect(nd.status).toBe(200);
    expect(nd.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = nd.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toEqual(api.items);

    const csv = await gh.call('GET', '/v1/audit/export?format=csv&userId=alice', { key: apiKey });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const [header, ...records] = parseCsv(csv.text);
    expect(header).toEqual(expect.arrayContaining(['id', 'userId', 'outcome', 'seq', 'hash', 'detail']));
    expect(records).toHaveLength(4);
    const col = (name: string) => header!.indexOf(name);
    expect(records.map((r) => r[col('id')])).toEqual(api.items.map((e) => e.id));
    expect(records.every((r) => r[col('userId')] === 'alice')).toBe(true);
    expect(JSON.parse(records[0]![col('detail')]!)).toEqual(api.items[0]!.detail);

    const bad = await gh.call('GET', '/v1/audit/export?format=xml', { key: apiKey });
    expect(bad.status).toBe(400);
  });

  it('concurrent writers on several connections leave one contiguous, valid chain per project', async () => {
    if (t.kind !== 'postgres') return; // PGlite has a single connection: nothing runs concurrently.
    const { projectId, apiKey } = await gh.createProject('busy');
    const { projectId: otherId, apiKey: otherKey } = await gh.createProject('busy-other');
    const dbs = await Promise.all([0, 1, 2, 3].map(() => openPostgres(t.url()!, { max: 4 })));
    try {
      await Promise.all(
        dbs.flatMap((db, d) => {
          const writer = new AuditLog(db, { syncCommit: d % 2 === 0 });
          return Array.from({ length: 50 }, (_, i) =>
            Promise.all([
              writer.record(entry(projectId, { executionId: `exe_${d}_${i}` })),
              i % 5 === 0 ? writer.record(entry(otherId, { executionId: `exe_${d}_${i}` })) : null,
            ]),
          );
        }),
      );
    } finally {
      await Promise.all(dbs.map((db) => db.close()));
    }
    const { rows } = await t
      .db()
      .query<{ seq: string }>(
        'SELECT seq::text AS seq FROM audit_events WHERE project_id = $1 ORDER BY audit_events.seq',
        [projectId],
      );
    expect(rows.map((r) => Number(r.seq))).toEqual(Array.from({ length: 201 }, (_, i) => i + 1));
    expect(await verify(apiKey)).toMatchObject({ ok: true, rows: 201, head: { seq: 201 } });
    expect(await verify(otherKey)).toMatchObject({ ok: true, rows: 41, head: { seq: 41 } });
    expect(await verifyChain(t.db(), projectId, 7)).toMatchObject({ ok: true, rows: 201 });
  });
});
