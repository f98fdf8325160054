import { createCipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '../packages/server/test/support/gatehouse.js';
import { type CommitFloor, commitFloor } from './lib/commit-floor.js';
import {
  type Call,
  connectAlice,
  directToken,
  mcpToolCall,
  ownTimes,
  poolCall,
  scratchDatabase,
  startGatehouse,
  startSandbox,
  successfulResult,
} from './lib/gatehouse-targets.js';
import { type LatencyStats, measureLatency, measureThroughput } from './lib/load.js';
import { type Child, spawnTs } from './lib/processes.js';
import { percentile, table } from './lib/report.js';

const ROOT = new URL('../', import.meta.url).pathname;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const SATURATION_SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
/** Rounds over every target, interleaved (the machine is shared): each figure is the median of the rounds. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/**
 * Another checkout of Gatehouse (installed, e.g. `git archive main`) to measure side by side with
 * this one, interleaved in the same rounds: before/after figures from the same minutes of a noisy machine.
 */
const BASELINE_ROOT = process.env.BENCH_BASELINE_ROOT;

/** `PostgreSQL + journal`: GATEHOUSE_AUDIT_JOURNAL=on (PGlite has it on by default; audit/README.md). */
type Leg = 'PostgreSQL' | 'PostgreSQL + journal' | 'PGlite';
const ALL_LEGS: readonly Leg[] = ['PostgreSQL', 'PostgreSQL + journal', 'PGlite'];
/** BENCH_LEGS="PostgreSQL + journal,PGlite" measures only those legs (faster before/after runs). */
const LEGS = process.env.BENCH_LEGS
  ? ALL_LEGS.filter((leg) => process.env.BENCH_LEGS!.split(',').includes(leg))
  : ALL_LEGS;
interface Row {
  name: string;
  call: Call;
  leg?: Leg;
  door?: 'execute' | 'proxy' | 'MCP';
  baseline?: boolean;
  /** Gatehouse's own time per call, from its Server-Timing. */
  own?: ReturnType<typeof ownTimes>;
}
interface Sample {
  c1: LatencyStats;
  c4: LatencyStats;
  rps: number;
  own?: { c1: number[]; c4: number[] };
}

/**
 * Execute overhead, in one run: the same sandbox call (a) made directly, (b) through a minimal
 * reference broker, (c) through Gatehouse execute, proxy and an MCP tool call, on PostgreSQL and on
 * PGlite. Each server runs in its own process; on a 2-core machine the load generator competes with
 * them. Targets (issue 17): added p50 <= 1 ms, p99 <= 3 ms, >= 0.40x of (b) on PostgreSQL; an MCP
 * tool call within 0.5 ms of REST.
 */
export async function executeBench(): Promise<void> {
  const children: Child[] = [];
  try {
    const clientId = 'bench';
    const clientSecret = randomBytes(16).toString('hex');
    const benchRedirect = 'http://127.0.0.1:9/bench-callback';
    const ports = { pg: await freePort(), pgJournal: await freePort(), pglite: await freePort() };
    const basePorts = { pg: await freePort(), pgJournal: await freePort(), pglite: await freePort() };
    const sandbox = await startSandbox(
      clientId,
      clientSecret,
      [...Object.values(ports), ...Object.values(basePorts)],
      [benchRedirect],
    );
    children.push(sandbox.child);
    const sandboxUrl = sandbox.url;
    const token = await directToken(sandboxUrl, clientId, clientSecret, benchRedirect);
    const tasksUrl = `${sandboxUrl}/api/tasks`;

    const key = randomBytes(32);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const ct = Buffer.concat([cipher.update(token), cipher.final()]);
    const { child: ref, match: refMatch } = await spawnTs(
      join(ROOT, 'bench/lib/reference-broker.ts'),
      [],
      {
        UPSTREAM: tasksUrl,
        TOKEN_KEY: key.toString('hex'),
        TOKEN_CT: [iv, ct, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.'),
      },
      /REFERENCE (\S+)/,
    );
    children.push(ref);

    const rows: Row[] = [
      {
        name: '(a) direct call to the sandbox',
        call: poolCall(tasksUrl, 'GET', '/api/tasks?limit=5', undefined, {
          authorization: `Bearer ${token}`,
        }),
      },
      {
        name: '(b) reference broker',
        call: poolCall(
          refMatch[1]!,
          'POST',
          '/',
          JSON.stringify({ userId: 'alice', arguments: { limit: 5 } }),
        ),
      },
    ];

    const builds = [
      { baseline: false, root: undefined, ports },
      ...(BASELINE_ROOT ? [{ baseline: true, root: BASELINE_ROOT, ports: basePorts }] : []),
    ];
    for (const build of builds)
      for (const leg of LEGS) {
        const port = {
          PostgreSQL: build.ports.pg,
          'PostgreSQL + journal': build.ports.pgJournal,
          PGlite: build.ports.pglite,
        }[leg];
        const db = leg === 'PGlite' ? undefined : await scratchDatabase();
        if (leg !== 'PGlite' && !db) {
          console.log(
            '\n  (PostgreSQL: set BENCH_DATABASE_URL or GATEHOUSE_TEST_DATABASE_URL to a reachable server; the PostgreSQL leg is SKIPPED)',
          );
          continue;
        }
        const gh = await startGatehouse(port, db?.url, build.root, {
          GATEHOUSE_AUDIT_JOURNAL: leg === 'PostgreSQL + journal' ? 'on' : 'auto',
        });
        const name = build.baseline ? '(c0) baseline' : '(c) Gatehouse';
        const baseline = build.baseline;
        children.push(gh.child);
        const setup = await connectAlice(gh.url, gh.adminToken, sandboxUrl, clientId, clientSecret);
        const auth = { authorization: `Bearer ${setup.apiKey}` };
        const executeBody = JSON.stringify({ userId: 'alice', arguments: { limit: 5 } });
        const own = { execute: ownTimes(), proxy: ownTimes(), mcp: ownTimes() };
        rows.push(
          {
            name: `${name} execute, ${leg}`,
            leg,
            door: 'execute',
            baseline,
            own: own.execute,
            call: poolCall(
              gh.url,
              'POST',
              '/v1/tools/acme.tasks.list/execute',
              executeBody,
              auth,
              successfulResult,
              own.execute.seen,
            ),
          },
          {
            name: `${name} proxy, ${leg}`,
            leg,
            door: 'proxy',
            baseline,
            own: own.proxy,
            call: poolCall(
              gh.url,
              'POST',
              '/v1/proxy',
              JSON.stringify({
                connectedAccountId: setup.accountId,
                method: 'GET',
                path: '/tasks',
                query: { limit: '5' },
              }),
              auth,
              undefined,
              own.proxy.seen,
            ),
          },
          {
            name: `${name} MCP tools/call, ${leg}`,
            leg,
            door: 'MCP',
            baseline,
            own: own.mcp,
            call: await mcpToolCall(setup.mcp, own.mcp.seen),
          },
        );
      }

    for (const row of rows) await row.call(); // fails loudly if a target does not answer correctly
    const samples = rows.map((): Sample[] => []);
    // The PostgreSQL legs' floor, on the same server: what one awaited audit commit costs at least.
    const floorDb = LEGS.some((leg) => leg !== 'PGlite') ? await scratchDatabase() : undefined;
    const floors: CommitFloor[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (floorDb) floors.push(await commitFloor(floorDb.url, REQUESTS));
      // Interleaved, and each round starts elsewhere: a noisy minute spreads over every target.
      for (let k = 0; k < rows.length; k++) {
        const i = (k + round) % rows.length;
        const { call, own } = rows[i]!;
        own?.take(0);
        const c1 = await measureLatency(call, { concurrency: 1, requests: REQUESTS });
        const ownC1 = own?.take(REQUESTS);
        const c4 = await measureLatency(call, { concurrency: 4, requests: REQUESTS });
        const ownC4 = own?.take(REQUESTS);
        const rps = await measureThroughput(call, { concurrency: 32, seconds: SATURATION_SECONDS });
        samples[i]!.push({ c1, c4, rps, ...(ownC1 && ownC4 ? { own: { c1: ownC1, c4: ownC4 } } : {}) });
      }
      // Medians so far after every round: a run cut short still reports what it measured.
      console.log(`\n  after round ${round + 1}/${ROUNDS}:`);
      report(rows, samples, round + 1, floors);
    }
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}

const median = (values: number[]): number => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

/** Per round: the row's figure minus the direct call's (or over the reference's throughput); then the median. */
function figures(samples: Sample[][], i: number) {
  const rounds = samples[i]!.map((s, r) => {
    const base = samples[0]![r]!;
    const ref = samples[1]![r]!;
    return {
      c1p50: s.c1.p50,
      c1p99: s.c1.p99,
      c4p50: s.c4.p50,
      c4p99: s.c4.p99,
      addC1p50: s.c1.p50 - base.c1.p50,
      addC1p99: s.c1.p99 - base.c1.p99,
      addC4p50: s.c4.p50 - base.c4.p50,
      addC4p99: s.c4.p99 - base.c4.p99,
      rps: s.rps,
      ratio: s.rps / ref.rps,
      own: s.own && {
        c1p50: pct(s.own.c1, 50),
        c1p99: pct(s.own.c1, 99),
        c4p50: pct(s.own.c4, 50),
        c4p99: pct(s.own.c4, 99),
      },
    };
  });
  const m = (f: (r: (typeof rounds)[number]) => number) => median(rounds.map(f));
  return {
    c1p50: m((r) => r.c1p50),
    c1p99: m((r) => r.c1p99),
    c4p50: m((r) => r.c4p50),
    c4p99: m((r) => r.c4p99),
    addC1p50: m((r) => r.addC1p50),
    addC1p99: m((r) => r.addC1p99),
    addC4p50: m((r) => r.addC4p50),
    addC4p99: m((r) => r.addC4p99),
    rps: m((r) => r.rps),
    ratio: m((r) => r.ratio),
    addC1p50Range: [Math.min(...rounds.map((r) => r.addC1p50)), Math.max(...rounds.map((r) => r.addC1p50))],
    own: rounds.every((r) => r.own)
      ? {
          c1p50: m((r) => r.own!.c1p50),
          c1p99: m((r) => r.own!.c1p99),
          c4p50: m((r) => r.own!.c4p50),
          c4p99: m((r) => r.own!.c4p99),
        }
      : undefined,
  };
}

const pct = (values: number[], p: number) =>
  percentile(
    [...values].sort((a, b) => a - b),
    p,
  );

function report(rows: Row[], samples: Sample[][], rounds: number, floors: CommitFloor[]): void {
  const ms = (n: number) => n.toFixed(3);
  const all = rows.map((_, i) => figures(samples, i));
  table(
    `Execute overhead: GET /api/tasks?limit=5 on the sandbox; ${REQUESTS} calls per concurrency; median of ${rounds} interleaved round(s); ms`,
    [
      'path',
      'c1 p50',
      'c1 p99',
      'added c1 p50',
      'added c1 p99',
      'c4 p50',
      'c4 p99',
      'added c4 p50',
      'added c4 p99',
      'calls/s @32',
      'vs (b)',
    ],
    rows.map((row, i) => {
      const f = all[i]!;
      return [
        row.name,
        ms(f.c1p50),
        ms(f.c1p99),
        ms(f.addC1p50),
        ms(f.addC1p99),
        ms(f.c4p50),
        ms(f.c4p99),
        ms(f.addC4p50),
        ms(f.addC4p99),
        Math.round(f.rps),
        `${f.ratio.toFixed(2)}x`,
      ];
    }),
  );
  const withOwn = rows.flatMap((row, i) => (all[i]!.own ? [{ row, own: all[i]!.own! }] : []));
  if (withOwn.length > 0)
    table(
      "Gatehouse's own time per call (its Server-Timing: the call's time in the server less its wait on the sandbox), same calls, median of the rounds' percentiles; ms",
      ['path', 'own c1 p50', 'own c1 p99', 'own c4 p50', 'own c4 p99'],
      withOwn.map(({ row, own }) => [row.name, ms(own.c1p50), ms(own.c1p99), ms(own.c4p50), ms(own.c4p99)]),
    );
  const find = (leg: Leg, door: Row['door'], baseline = false) => {
    const i = rows.findIndex((r) => r.leg === leg && r.door === door && (r.baseline ?? false) === baseline);
    return i < 0 ? undefined : all[i];
  };
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const floor = (f: (c: CommitFloor) => LatencyStats) =>
    floors.length > 0
      ? { p50: median(floors.map((c) => f(c).p50)), p99: median(floors.map((c) => f(c).p99)) }
      : undefined;
  const auditRow = floor((c) => c.auditRow);
  for (const [door, leg] of [
    ['execute', 'PostgreSQL'],
    ['execute', 'PostgreSQL + journal'],
    ['proxy', 'PostgreSQL'],
    ['proxy', 'PostgreSQL + journal'],
  ] as const) {
    const f = find(leg, door);
    if (!f) continue;
    console.log(
      `  targets (${door}, ${leg}, c1): added p50 <= 1 ms -> ${verdict(f.addC1p50 <= 1)} (${ms(f.addC1p50)}, rounds ${ms(f.addC1p50Range[0]!)}..${ms(f.addC1p50Range[1]!)}` +
        `${leg === 'PostgreSQL' && auditRow ? `; each call awaits its audit row, alone p50 ${ms(auditRow.p50)}` : ''}); ` +
        `added p99 <= 3 ms -> ${verdict(f.addC1p99 <= 3)} (${ms(f.addC1p99)}${f.own ? `; own p99 ${ms(f.own.c1p99)}` : ''}); ` +
        `throughput >= 0.40x of (b) -> ${verdict(f.ratio >= 0.4)} (${f.ratio.toFixed(2)}x)`,
    );
  }
  for (const [leg, baseline] of [
    ['PostgreSQL', false],
    ['PostgreSQL + journal', false],
    ['PGlite', false],
    ['PostgreSQL', true],
    ['PostgreSQL + journal', true],
    ['PGlite', true],
  ] as const) {
    const rest = find(leg, 'execute', baseline);
    const mcp = find(leg, 'MCP', baseline);
    if (!rest || !mcp) continue;
    const gap = mcp.c1p50 - rest.c1p50;
    console.log(
      `  MCP vs REST (${baseline ? 'baseline, ' : ''}${leg}, c1): tools/call p50 ${ms(mcp.c1p50)} vs execute ${ms(rest.c1p50)} -> +${ms(gap)} ms; ` +
        `within 0.5 ms -> ${verdict(gap <= 0.5)}; p99 ${ms(mcp.c1p99)} vs ${ms(rest.c1p99)}; ` +
        `calls/s @32 ${Math.round(mcp.rps)} vs ${Math.round(rest.rps)}`,
    );
  }
  const roundTrip = floor((c) => c.roundTrip);
  const bareInsert = floor((c) => c.bareInsert);
  if (roundTrip && bareInsert && auditRow)
    console.log(
      `  PostgreSQL floor (the legs' server, one after another, median of the rounds): round trip (SELECT 1) p50 ${ms(roundTrip.p50)} p99 ${ms(roundTrip.p99)}; ` +
        `a bare one-row INSERT p50 ${ms(bareInsert.p50)} p99 ${ms(bareInsert.p99)}; ` +
        `one call's audit row (AuditLog.record, no journal) p50 ${ms(auditRow.p50)} p99 ${ms(auditRow.p99)}`,
    );
  console.log(
    '  note: 2 cores shared by the load generator, the sandbox, the reference and the servers under test.',
  );
}
