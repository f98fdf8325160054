import { contentionBench } from './contention.bench.js';
import { delegationBench } from './delegation.bench.js';
import { embeddedBench } from './embedded.bench.js';
import { executeBench } from './execute.bench.js';
import { dropScratchDatabases } from './lib/gatehouse-targets.js';
import { policyBench } from './policy.bench.js';
import { refreshBench } from './refresh.bench.js';
import { scaleBench } from './scale.bench.js';
import { searchBench } from './search.bench.js';
import { vaultBench } from './vault.bench.js';

/** `npm run bench [name...]`: runs every benchmark, or the named ones. */
const suites: Record<string, () => Promise<void>> = {
  vault: vaultBench,
  execute: executeBench,
  contention: contentionBench,
  delegation: delegationBench,
  policy: policyBench,
  refresh: refreshBench,
  search: searchBench,
};

/**
 * Run only when named: `npm run bench scale` seeds 1M rows for several minutes; `npm run bench
 * embedded` idles servers for 3 minutes (`npm run bench embedded -- --idle=30` for a quick look).
 */
const onDemand: Record<string, () => Promise<void>> = { scale: scaleBench, embedded: embeddedBench };

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const chosen = [
  ...Object.entries(suites).filter(([name]) => wanted.length === 0 || wanted.includes(name)),
  ...Object.entries(onDemand).filter(([name]) => wanted.includes(name)),
];
for (const [, run] of chosen) {
  try {
    await run();
  } finally {
    await dropScratchDatabases(); // each bench stops its servers before it returns
  }
}
