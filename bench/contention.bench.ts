import { randomBytes } from 'node:crypto';
import { freePort } from '../packages/server/test/support/gatehouse.js';
import {
  type Call,
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

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 1500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Another checkout to measure in the same interleaved rounds (as in the execute bench). */
const BASELINE_ROOT = process.env.BENCH_BASELINE_ROOT;

interface Target {
  name: string;
  execute: Call;
  readPage: Call;
}
interface Sample {
  alone: LatencyStats;
  shared: LatencyStats;
  pages: number[];
}

/**
 * An agent's calls while an operator reads the audit trail: execute at concurrency 1 on its own,
 * then again while another client reads `GET /v1/audit?limit=100` page after page. Embedded, PGlite
 * runs on its own thread so a long statement leaves the server's thread to the calls; the ratio
 * (shared / alone) says how much one reader costs the agent. PostgreSQL is measured when available.
 */
export async function contentionBench(): Promise<void> {
  const children: Child[] = [];
  try {
    const clientId = 'bench';
    const clientSecret = randomBytes(16).toString('hex');
    const builds = [
      { label: 'Gatehouse', root: undefined },
      ...(BASELINE_ROOT ? [{ label: 'baseline', root: BASELINE_ROOT }] : []),
    ];
    const legs = ['PGlite', 'PostgreSQL'] as const;
    const ports = await Promise.all(builds.flatMap(() => legs.map(() => freePort())));
    const sandbox = await startSandbox(clientId, clientSecret, ports);
    children.push(sandbox.child);
    const sandboxUrl = sandbox.url;

    const targets: Target[] = [];
    let next = 0;
    let skipped = false;
    for (const build of builds)
      for (const leg of legs) {
        const port = ports[next++]!;
        // Each PostgreSQL target gets a database of its own: one trail per server.
        const database = leg === 'PostgreSQL' ? await scratchDatabase() : undefined;
        if (leg === 'PostgreSQL' && !database) {
          skipped = true;
          continue;
        }
        const gh = await startGatehouse(port, database?.url, build.root);
        children.push(gh.child);
        const setup = await connectAlice(gh.url, gh.adminToken, sandboxUrl, clientId, clientSecret);
        const auth = { authorization: `Bearer ${setup.apiKey}` };
        const body = JSON.stringify({ userId: 'alice', arguments: { limit: 5 } });
        const execute = poolCall(
          gh.url,
          'POST',
          '/v1/tools/acme.tasks.list/execute',
          body,
          auth,
          successfulResult,
        );
        targets.push({
          name: `${build.label}, ${leg}`,
          execute,
          readPage: poolCall(gh.url, 'GET', '/v1/audit?limit=100', undefined, auth),
        });
        // A trail to read: a few thousand calls' rows.
        await measureLatency(execute, { concurrency: 4, requests: 3000 });
      }
    if (skipped)
      console.log(
        '\n  (PostgreSQL: set BENCH_DATABASE_URL or GATEHOUSE_TEST_DATABASE_URL; that leg is SKIPPED)',
      );

    const samples = targets.map((): Sample[] => []);
    for (let round = 0; round < ROUNDS; round++)
      for (let k = 0; k < targets.length; k++) {
        const i = (k + round) % targets.length;
        const t = targets[i]!;
        const alone = await measureLatency(t.execute, { concurrency: 1, requests: REQUESTS });
        let reading = true;
        const pages: number[] = [];
        const reader = (async () => {
          while (reading) {
            const start = performance.now();
            await t.readPage();
            pages.push(performance.now() - start);
          }
        })();
        const shared = await measureLatency(t.execute, { concurrency: 1, requests: REQUESTS, warmup: 0 });
        reading = false;
        await reader;
        samples[i]!.push({ alone, shared, pages: pages.sort((a, b) => a - b) });
      }

    const median = (xs: number[]) =>
      percentile(
        [...xs].sort((a, b) => a - b),
        50,
      );
    table(
      `Execute while an operator reads the audit trail (GET /v1/audit?limit=100 in a loop); c1, ${REQUESTS} calls; median of ${ROUNDS} interleaved rounds; ms`,
      [
        'target',
        'alone p50',
        'alone p99',
        'with reader p50',
        'with reader p99',
        'p99 ratio',
        'page p50',
        'pages read',
      ],
      targets.map((t, i) => {
        const s = samples[i]!;
        const alone99 = median(s.map((x) => x.alone.p99));
        const shared99 = median(s.map((x) => x.shared.p99));
        return [
          t.name,
          median(s.map((x) => x.alone.p50)),
          alone99,
          median(s.map((x) => x.shared.p50)),
          shared99,
          `${(shared99 / alone99).toFixed(2)}x`,
          median(s.map((x) => percentile(x.pages, 50))),
          median(s.map((x) => x.pages.length)),
        ];
      }),
    );
    console.log('  note: 2 cores shared by the load generator, the sandbox and the servers under test.');
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}
