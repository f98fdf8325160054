import { randomBytes } from 'node:crypto';
import { type AuditEntry, AuditLog } from '../packages/server/src/audit/audit-log.js';
import { SigningKeys } from '../packages/server/src/authserver/signing-keys.js';
import { DelegationTokens } from '../packages/server/src/delegation/tokens.js';
import { ApiKeyStore } from '../packages/server/src/projects/api-keys.js';
import { ProjectStore } from '../packages/server/src/projects/projects.js';
import { type Db, openPglite, openPostgres } from '../packages/server/src/store/db.js';
import { migrate } from '../packages/server/src/store/migrate.js';
import { generateMasterKey, LocalKms } from '../packages/server/src/vault/kms.js';
import { Vault } from '../packages/server/src/vault/vault.js';
import { TestIdp, TOKEN_EXCHANGE, TYPE } from '../packages/server/test/support/delegation.js';
import { freePort } from '../packages/server/test/support/gatehouse.js';
import {
  connectAlice,
  poolCall,
  scratchDatabase,
  startGatehouse,
  startSandbox,
  successfulResult,
} from './lib/gatehouse-targets.js';
import { type LatencyStats, measureLatency } from './lib/load.js';
import type { Child } from './lib/processes.js';
import { percentile, table } from './lib/report.js';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const ms = (n: number) => n.toFixed(3);

/**
 * What delegation and the audit chain add to execute, in one run:
 * 1. over HTTP, the same execute (sandbox GET /api/tasks?limit=5) made with the agent's key, with a
 *    token exchanged for that agent (RFC 8693, `act` one deep), and with a sub-agent's token (two
 *    deep); plus the token exchange itself. On PostgreSQL (if reachable) and PGlite.
 * 2. in process, one audit row written with the hash chain (the production insert) against the same
 *    row as a plain INSERT, and the chain's share of an execute.
 */
export async function delegationBench(): Promise<void> {
  const children: Child[] = [];
  const idp = await TestIdp.start();
  const executeP50: Record<string, number> = {};
  try {
    const clientId = 'bench';
    const clientSecret = randomBytes(16).toString('hex');
    const ports = { postgres: await freePort(), pglite: await freePort() };
    const sandbox = await startSandbox(clientId, clientSecret, [ports.postgres, ports.pglite]);
    children.push(sandbox.child);
    const sandboxUrl = sandbox.url;

    const rows: Array<Array<string | number>> = [];
    for (const leg of ['postgres', 'pglite'] as const) {
      const db = leg === 'postgres' ? await scratchDatabase() : undefined;
      if (leg === 'postgres' && !db) {
        console.log(
          '\n  (PostgreSQL not reachable: set GATEHOUSE_TEST_DATABASE_URL; the PostgreSQL leg is skipped)',
        );
        continue;
      }
      const label = leg === 'postgres' ? 'PostgreSQL' : 'PGlite';
      const gh = await startGatehouse(ports[leg], db?.url);
      children.push(gh.child);
      const setup = await connectAlice(gh.url, gh.adminToken, sandboxUrl, clientId, clientSecret);
      const tokens = await delegatedTokens(gh.url, setup.apiKey, idp);
      const body = JSON.stringify({ userId: 'alice', arguments: { limit: 5 } });
      const executeWith = (credential: string) =>
        poolCall(
          gh.url,
          'POST',
          '/v1/tools/acme.tasks.list/execute',
          body,
          { authorization: `Bearer ${credential}` },
          successfulResult,
        );
      const legs: Array<[string, () => Promise<void>]> = [
        ['agent key (gth_ak_)', executeWith(tokens.agentKey)],
        ['exchanged token, act 1 deep', executeWith(tokens.agentToken)],
        ['exchanged token, act 2 deep', executeWith(tokens.subAgentToken)],
      ];
      for (const [, call] of legs) await call(); // fails loudly if it does not succeed
      const stats = await interleaved(
        REQUESTS,
        legs.map(([, call]) => call),
      );
      const base = stats[0]!;
      executeP50[label] = base.p50;
      for (const [i, [name]] of legs.entries()) {
        const s = stats[i]!;
        rows.push([
          `${label}: execute with ${name}`,
          ms(s.p50),
          ms(s.p99),
          i === 0 ? '-' : ms(s.p50 - base.p50),
          i === 0 ? '-' : ms(s.p99 - base.p99),
          `${(s.p50 / base.p50).toFixed(2)}x`,
        ]);
      }
      const exchangeStats = await measureLatency(tokens.exchangeOnce, {
        concurrency: 1,
        requests: Math.min(REQUESTS, 1000),
      });
      rows.push([
        `${label}: one token exchange (agent key actor)`,
        ms(exchangeStats.p50),
        ms(exchangeStats.p99),
        '',
        '',
        '',
      ]);
    }
    table(
      `Delegation on execute: ${REQUESTS} calls per row, one at a time, the rows interleaved; times in ms`,
      ['path', 'p50', 'p99', 'added p50', 'added p99', 'p50 vs key'],
      rows,
    );
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await idp.close();
  }
  await credentialBench();
  await auditChainBench(executeP50);
  console.log('  note: 2 cores shared by the load generator, the sandbox and the server under test.');
}

/** The project's agent key, a token exchanged for it, and a sub-agent's token exchanged from that one. */
async function delegatedTokens(url: string, adminKey: string, idp: TestIdp) {
  const call = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const settings = await call('PUT', '/v1/settings/delegation', {
    tokenTtlSeconds: 900,
    trustedIssuers: [{ issuer: idp.issuer, jwksUri: idp.jwksUri, audience: idp.audience }],
  });
  const endpoint = settings.tokenEndpoint as string;
  const agentKey = ((await call('POST', '/v1/agents', { id: 'support-agent' })).key as { key: string }).key;
  const subKey = ((await call('POST', '/v1/agents', { id: 'summariser' })).key as { key: string }).key;
  const userToken = await idp.userToken('alice', {}, { expiresIn: 3600 });
  const exchange = async (subject: string, subjectType: string, actor: string) => {
    const res = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: TOKEN_EXCHANGE,
        subject_token: subject,
        subject_token_type: subjectType,
        actor_token: actor,
        actor_token_type: TYPE.agentKey,
      }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`exchange: ${res.status} ${JSON.stringify(body)}`);
    return body.access_token;
  };
  const agentToken = await exchange(userToken, TYPE.jwt, agentKey);
  const subAgentToken = await exchange(agentToken, TYPE.accessToken, subKey);
  return {
    agentKey,
    agentToken,
    subAgentToken,
    exchangeOnce: async () => {
      await exchange(userToken, TYPE.jwt, agentKey);
    },
  };
}

/**
 * The credential check alone, in process (what execute does before anything else): an agent key
 * (SHA-256 and the 5-second verified-key cache, as on every call after the first) against an
 * exchanged token (decode, the project's key by kid — cached —, ES256 signature, claims, chain).
 */
async function credentialBench(): Promise<void> {
  const db = await openPglite();
  try {
    await migrate(db);
    const keyring = LocalKms.fromSources({ masterKey: generateMasterKey() });
    if (!keyring.ok) throw new Error(keyring.error);
    const vault = new Vault(db, keyring.kms);
    const project = await new ProjectStore(db, false).create('credentials');
    const apiKeys = new ApiKeyStore(db);
    const { secret } = await apiKeys.create(project.id, 'bench', 'runtime');
    const publicUrl = 'http://127.0.0.1:4100';
    const tokens = new DelegationTokens(
      publicUrl,
      new SigningKeys(db, vault, { table: 'delegation_signing_keys', prefix: 'dsk' }),
    );
    const audience = `${publicUrl}/v1`;
    const token = await tokens.issue(project.id, {
      userId: 'alice',
      chain: ['summariser', 'support-agent'],
      scopes: ['tools:read', 'tools:write'],
      audience,
      expiresAt: Math.floor(Date.now() / 1000) + 900,
    });
    const must = async (r: Promise<{ ok: boolean }>) => {
      if (!(await r).ok) throw new Error('credential did not verify');
    };
    const [key, exchanged] = await interleaved(Math.max(REQUESTS, 5000), [
      () => must(apiKeys.authenticate(secret)),
      () => must(tokens.verify(token, audience)),
    ]);
    table(
      'Credential check, in process (PGlite, caches warm), times in ms',
      ['credential', 'p50', 'p99', 'added p50', 'added p99'],
      [
        ['agent or runtime key (cached)', ms(key!.p50), ms(key!.p99), '-', '-'],
        [
          'exchanged token (ES256, act 2 deep)',
          ms(exchanged!.p50),
          ms(exchanged!.p99),
          ms(exchanged!.p50 - key!.p50),
          ms(exchanged!.p99 - key!.p99),
        ],
      ],
    );
  } finally {
    await db.close();
  }
}

const entry = (projectId: string, i: number): AuditEntry => ({
  projectId,
  kind: 'tool.execute',
  executionId: `exe_bench_${i}`,
  userId: 'alice',
  agentId: 'support-agent',
  toolSlug: 'acme.tasks.list',
  providerId: 'sandbox',
  connectedAccountId: 'ca_bench',
  outcome: 'success',
  errorCode: null,
  upstreamStatus: 200,
  latencyMs: 1.234,
  attempts: 1,
  traceId: null,
  detail: { arguments: { limit: 5 } },
  delegation: { sub: 'summariser', act: { sub: 'support-agent' } },
});

// The production insert minus the chain: the same columns, no head row, no hash.
const PLAIN_INSERT = `INSERT INTO audit_events (id, project_id, kind, execution_id, user_id, agent_id, tool_slug, provider_id,
  connected_account_id, outcome, error_code, upstream_status, latency_ms, attempts, trace_id, detail, occurred_at, delegation)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16::jsonb, now(), $17::jsonb)`;

/**
 * Times `n` calls of each function, interleaved (a, b, c, a, b, c, …): on a shared machine whose
 * load drifts during the run, every variant meets the same load, so their difference is the cost.
 */
export async function interleaved(
  n: number,
  fns: ReadonlyArray<(i: number) => Promise<unknown>>,
  warmup = Math.min(200, n),
): Promise<LatencyStats[]> {
  for (let i = 0; i < warmup; i++) for (const fn of fns) await fn(-i - 1);
  const samples = fns.map(() => [] as number[]);
  for (let i = 0; i < n; i++) {
    for (const [j, fn] of fns.entries()) {
      const start = performance.now();
      await fn(i);
      samples[j]!.push(performance.now() - start);
    }
  }
  return samples.map((s) => {
    s.sort((a, b) => a - b);
    return { p50: percentile(s, 50), p99: percentile(s, 99), mean: s.reduce((a, b) => a + b, 0) / n, n };
  });
}

/** One audit row with the hash chain against the same row as a plain insert, relaxed commit as in production. */
async function auditChainBench(executeP50: Record<string, number>): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  for (const leg of ['PostgreSQL', 'PGlite'] as const) {
    let db: Db;
    if (leg === 'PostgreSQL') {
      const scratch = await scratchDatabase();
      if (!scratch) continue;
      db = await openPostgres(scratch.url);
    } else db = await openPglite();
    try {
      await migrate(db);
      const projects = new ProjectStore(db, false);
      const chained = await projects.create('chained');
      const plain = await projects.create('plain');
      const audit = new AuditLog(db);
      const q = db.relaxed();
      const [chainedStats, plainStats] = await interleaved(
        REQUESTS,
        [
          (i) => audit.record(entry(chained.id, i)),
          (i) => {
            const e = entry(plain.id, i);
            return q.query(PLAIN_INSERT, [
              `aud_bench_${randomBytes(8).toString('hex')}`,
              e.projectId,
              e.kind,
              e.executionId,
              e.userId,
              e.agentId,
              e.toolSlug,
              e.providerId,
              e.connectedAccountId,
              e.outcome,
              e.errorCode,
              e.upstreamStatus,
              e.latencyMs,
              e.attempts,
              e.traceId,
              JSON.stringify(e.detail),
              JSON.stringify(e.delegation),
            ]);
          },
        ],
        // PGlite (WASM) runs its first thousand statements much slower: warm both up first.
        1000,
      );
      const withChain = chainedStats!;
      const withoutChain = plainStats!;
      const added = withChain.p50 - withoutChain.p50;
      const execute = executeP50[leg];
      rows.push(
        [`${leg}: plain insert`, ms(withoutChain.p50), ms(withoutChain.p99), '', '', ''],
        [
          `${leg}: hash-chained insert (production)`,
          ms(withChain.p50),
          ms(withChain.p99),
          ms(added),
          ms(withChain.p99 - withoutChain.p99),
          execute ? `${((added / execute) * 100).toFixed(1)}% of execute p50 (${ms(execute)})` : '-',
        ],
      );
    } finally {
      await db.close();
    }
  }
  table(
    `Audit hash chain: ${REQUESTS} audit rows per row (one writer, relaxed commit, interleaved), times in ms`,
    ['insert', 'p50', 'p99', 'added p50', 'added p99', 'chain share'],
    rows,
  );
}
