import { loadavg } from 'node:os';
import { isAuthorized } from '@cedar-policy/cedar-wasm/nodejs';
import { builtInToolkits, getBuiltInTool } from '@gatehouse/catalog';
import { projectCatalogOf } from '../packages/server/src/catalog/tool-catalog.js';
import { loadCedar } from '../packages/server/src/policy/cedar.js';
import { compile } from '../packages/server/src/policy/compile.js';
import { ProjectPolicies } from '../packages/server/src/policy/engine.js';
import { filterRecords } from '../packages/server/src/policy/records.js';
import { cedarRequest, vocabularyOf } from '../packages/server/src/policy/request.js';
import { cedarSchema } from '../packages/server/src/policy/schema.js';
import { openPglite } from '../packages/server/src/store/db.js';
import { example } from '../packages/server/test/governance/support.js';
import { projectWithConnectedUsers, sandboxFor } from '../packages/server/test/support/broker.js';
import { startTestGatehouse, type TestGatehouse } from '../packages/server/test/support/gatehouse.js';
import { percentile, table } from './lib/report.js';

const POLICIES = [example('no-deletes'), example('amounts-up-to-100'), example('private-tasks-stay-private')]
  .map((text) => text.replace(/@id\("allow by default"\)\npermit \(principal, action, resource\);\n/, ''))
  .join('\n');
const DOCUMENT = {
  sets: [
    { name: 'base', mode: 'enforce' as const, policies: 'permit (principal, action, resource);' },
    { name: 'rules', mode: 'enforce' as const, policies: POLICIES },
  ],
  userAttributes: { role: 'String?' },
};

function sample(fn: () => void, n: number): number[] {
  for (let i = 0; i < Math.min(n, 2_000); i++) fn(); // warm-up
  const ms = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    fn();
    ms[i] = performance.now() - t;
  }
  return ms.sort((a, b) => a - b);
}

async function sampleAsync(fn: () => Promise<unknown>, n: number): Promise<number[]> {
  const ms = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ms[i] = performance.now() - t;
  }
  return ms;
}

const delta = (ms: number) => `${ms >= 0 ? '+' : '-'}${Math.abs(ms).toFixed(3)} ms`;

const row = (name: string, ms: number[], base?: number[]) => [
  name,
  percentile(ms, 50) * 1000,
  percentile(ms, 99) * 1000,
  base ? `${(percentile(ms, 50) / percentile(base, 50)).toFixed(2)}x` : '1.00x',
];

/** One Cedar decision: pre-parsed (what execute does) against re-parsing the policy text every call. */
export async function decisionBench(): Promise<void> {
  await loadCedar(); // the server loads Cedar on first use
  const catalog = projectCatalogOf(
    'bench',
    [...builtInToolkits().values()].map((toolkit) => ({ toolkit, custom: false })),
  );
  const compiled = compile(DOCUMENT, cedarSchema(DOCUMENT.userAttributes, catalog));
  if (!compiled.ok) throw new Error(JSON.stringify(compiled.issues));
  const policies = new ProjectPolicies('bench', 1, DOCUMENT, compiled.sets);
  const tool = getBuiltInTool('acme.tasks.create')!;
  const input = {
    userId: 'alice',
    userAttributes: { role: 'employee' },
    tool,
    arguments: { title: 'Expense: travel', amount: 42.5, visibility: 'team' },
    account: {
      id: 'ca_1',
      provider: 'sandbox',
      authConfigId: 'ac_1',
      label: null,
      subject: 'alice',
      scopes: ['tasks:read', 'tasks:write'],
      groupId: null,
      authType: 'oauth2',
    },
    groupId: null,
    agentId: 'planner-1',
    delegation: [],
    now: new Date(),
  };
  const texts = compiled.sets.flatMap((s) => s.policies.map((p) => p.text));
  const text = texts.join('\n');
  const words = vocabularyOf(texts);
  const reparse = sample(() => {
    const req = cedarRequest({ ...input, now: new Date() }, words);
    isAuthorized({ ...req, policies: { staticPolicies: text } });
  }, 5_000);
  const preparsed = sample(() => {
    if (policies.decide({ ...input, now: new Date() }).verdict.effect !== 'allow')
      throw new Error('unexpected decision');
  }, 20_000);
  const list = getBuiltInTool('acme.tasks.list')!;
  const now = new Date().toISOString();
  // Worst case for the per-page memo: every record looks different to the policies.
  const records = Array.from({ length: 20 }, (_, i) => ({
    id: `task_${i}`,
    ownerId: `user_${i}`,
    team: 'acme-eng',
    visibility: i % 3 ? 'team' : 'private',
    status: 'open',
    createdAt: now,
    amount: i % 4 ? null : 12.5,
  }));
  const listInput = { ...input, tool: list, arguments: { limit: 20 } };
  const filter20 = sample(() => {
    if (filterRecords(policies, listInput, records).dropped === 0) throw new Error('nothing filtered');
  }, 2_000);
  table(
    'Policy decision latency (Cedar via @cedar-policy/cedar-wasm, request building included, one core)',
    ['path', 'p50 µs', 'p99 µs', 'p50 vs re-parse'],
    [
      row('re-parse policies every call (baseline)', reparse),
      row('pre-parsed (what execute does)', preparsed, reparse),
      row('record filter, 20 distinct records (per list call)', filter20, reparse),
    ],
  );
  const p99 = percentile(preparsed, 99);
  console.log(
    `  target: decision p99 <= 0.3 ms -> ${p99 <= 0.3 ? 'met' : 'NOT met'} (${(p99 * 1000).toFixed(0)} µs)`,
  );
  // Tail latencies on a shared 2-core machine follow its load more than the code: say what it was.
  console.log(`  machine load average (1 min): ${loadavg()[0]!.toFixed(2)}`);
}

/** acme.tasks.list through a real Gatehouse and the sandbox, with and without policies (and limits). */
export async function executeBench(): Promise<void> {
  const db = await openPglite();
  let gh: TestGatehouse | undefined;
  const { sandbox, client } = await (async () => {
    gh = await startTestGatehouse(db, { GATEHOUSE_LOG_LEVEL: 'warn' });
    return sandboxFor(gh);
  })();
  try {
    const server = gh!;
    const off = await projectWithConnectedUsers(server, sandbox, client, ['alice']);
    const on = await projectWithConnectedUsers(server, sandbox, client, ['alice']);
    const limited = await projectWithConnectedUsers(server, sandbox, client, ['alice']);
    for (const p of [on, limited]) {
      const res = await server.call('PUT', '/v1/policies', { key: p.apiKey, body: DOCUMENT });
      if (res.status !== 200) throw new Error(res.text);
    }
    await server.call('PUT', '/v1/limits', {
      key: limited.apiKey,
      body: {
        rateLimits: [{ per: 'user', limit: 1_000_000, windowSeconds: 3600 }],
        budgets: { monthlyPerUser: 1_000_000 },
      },
    });
    const call = (apiKey: string) => async () => {
      const res = await fetch(`${server.url}/v1/tools/acme.tasks.list/execute`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${apiKey}`,
          'content-type': 'application/json',
          'gatehouse-agent-id': 'bench',
        },
        body: JSON.stringify({
          userId: 'alice',
          arguments: { limit: 20 },
          userAttributes: { role: 'employee' },
        }),
      });
      const body = (await res.json()) as { successful?: boolean };
      if (!body.successful) throw new Error(`execute failed: ${JSON.stringify(body)}`);
    };
    const offBody = async () => {
      const res = await fetch(`${server.url}/v1/tools/acme.tasks.list/execute`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${off.apiKey}`,
          'content-type': 'application/json',
          'gatehouse-agent-id': 'bench',
        },
        body: JSON.stringify({ userId: 'alice', arguments: { limit: 20 } }),
      });
      if (!((await res.json()) as { successful?: boolean }).successful) throw new Error('execute failed');
    };
    for (const f of [offBody, call(on.apiKey), call(limited.apiKey)]) await sampleAsync(f, 50); // warm-up
    // Interleave rounds so drift on a shared machine favours no variant.
    const samples: number[][] = [[], [], []];
    for (let round = 0; round < 5; round++) {
      samples[0]!.push(...(await sampleAsync(offBody, 60)));
      samples[1]!.push(...(await sampleAsync(call(on.apiKey), 60)));
      samples[2]!.push(...(await sampleAsync(call(limited.apiKey), 60)));
    }
    const [a, b, c] = samples.map((s) => s.sort((x, y) => x - y)) as [number[], number[], number[]];
    const ms = (s: number[], p: number) => percentile(s, p);
    table(
      'Execute acme.tasks.list over HTTP against the sandbox (PGlite, 20-task page, sequential)',
      ['variant', 'p50 ms', 'p99 ms', 'p50 overhead vs off'],
      [
        ['policies off', ms(a, 50), ms(a, 99), '-'],
        ['policies on (3 sets, record filter)', ms(b, 50), ms(b, 99), delta(ms(b, 50) - ms(a, 50))],
        ['policies + limits (PGlite counters)', ms(c, 50), ms(c, 99), delta(ms(c, 50) - ms(a, 50))],
      ],
    );
  } finally {
    await gh?.close();
    await sandbox.close();
    await db.close();
  }
}

export async function policyBench(): Promise<void> {
  // This order on purpose: Node 20.20's V8 aborted ("unreachable code" in the deoptimizer) when the
  // HTTP benchmark ran after the tight decision loops in the same process; this order runs clean.
  await executeBench();
  await decisionBench();
}
