// Run in a fresh process by search.bench.ts (node --expose-gc): what loading the shipped catalog and
// building its search index costs at start, in time and heap. Prints one JSON line.
import { loadBuiltInToolkits } from '@gatehouse/catalog';
import { projectCatalogOf } from '../../packages/server/src/catalog/tool-catalog.js';

const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const heap0 = process.memoryUsage().heapUsed;
const t0 = performance.now();
const toolkits = [...loadBuiltInToolkits({ sandbox: true }).values()];
const t1 = performance.now();
const catalog = projectCatalogOf(
  'load',
  toolkits.map((toolkit) => ({ toolkit, custom: false })),
);
catalog.search('warm the index');
const t2 = performance.now();
gc?.();
const heap1 = process.memoryUsage().heapUsed;
console.log(
  JSON.stringify({
    toolkits: toolkits.length,
    tools: catalog.list().length,
    loadMs: t1 - t0,
    indexMs: t2 - t1,
    heapMb: (heap1 - heap0) / 1024 / 1024,
    measuredGc: gc !== undefined,
  }),
);
