import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { loadBuiltInToolkits, type Toolkit } from '@gatehouse/catalog';
import { projectCatalogOf } from '../packages/server/src/catalog/tool-catalog.js';
import { percentile, table } from './lib/report.js';

const QUERIES = (
  JSON.parse(
    readFileSync(new URL('../packages/server/test/search/intent-queries.json', import.meta.url), 'utf8'),
  ) as { queries: Array<{ query: string }> }
).queries.map((q) => q.query);

/** The shipped toolkits copied `times` times under other ids: a stand-in for a catalog that big. */
function scaled(toolkits: Toolkit[], times: number): Toolkit[] {
  const out: Toolkit[] = [];
  for (let i = 0; i < times; i++)
    for (const t of toolkits)
      out.push({
        ...t,
        id: i === 0 ? t.id : `${t.id}${i}`,
        tools: t.tools.map((tool) => ({
          ...tool,
          slug: i === 0 ? tool.slug : tool.slug.replace(/^[^.]+/, `$&${i}`),
        })),
      });
  return out;
}

function latencies(toolkits: Toolkit[], rounds: number): { tools: number; buildMs: number; ms: number[] } {
  const t0 = performance.now();
  const catalog = projectCatalogOf(
    'bench',
    toolkits.map((toolkit) => ({ toolkit, custom: false })),
  );
  catalog.search('warm');
  const buildMs = performance.now() - t0;
  for (const q of QUERIES) catalog.search(q, { limit: 10 }); // warm-up
  const ms: number[] = [];
  for (let r = 0; r < rounds; r++)
    for (const q of QUERIES) {
      const t = performance.now();
      catalog.search(q, { limit: 10 });
      ms.push(performance.now() - t);
    }
  return { tools: catalog.list().length, buildMs, ms: ms.sort((a, b) => a - b) };
}

/** `npm run bench search`: intent search latency over the catalog, and what the catalog costs at start. */
export async function searchBench(): Promise<void> {
  const load = JSON.parse(
    execFileSync(
      process.execPath,
      [
        '--expose-gc',
        '--conditions=gatehouse-source',
        '--import',
        'tsx',
        new URL('./lib/catalog-load.ts', import.meta.url).pathname,
      ],
      {
        encoding: 'utf8',
      },
    ).trim(),
  ) as { toolkits: number; tools: number; loadMs: number; indexMs: number; heapMb: number };
  table(
    'catalog at start (fresh process: read + validate the toolkit files, then build the search index)',
    ['toolkits', 'tools', 'load ms', 'index build ms', 'heap MB (after gc)'],
    [[load.toolkits, load.tools, load.loadMs, load.indexMs, load.heapMb]],
  );
  const shipped = [...loadBuiltInToolkits({ sandbox: true }).values()];
  const rows: Array<Array<string | number>> = [];
  for (const [label, times] of [
    ['shipped catalog', 1],
    ['×10 copies (synthetic)', 10],
    ['×30 copies (synthetic)', 30],
  ] as const) {
    const r = latencies(scaled(shipped, times), times === 1 ? 200 : 50);
    rows.push([label, r.tools, r.buildMs, r.ms.length, percentile(r.ms, 50), percentile(r.ms, 99)]);
  }
  table(
    `intent search, ${QUERIES.length} queries from test/search/intent-queries.json (ms per query, top 10)`,
    ['catalog', 'tools', 'index build ms', 'queries', 'p50 ms', 'p99 ms'],
    rows,
  );
}
