/** Small helpers shared by the benchmarks: timing, percentiles and aligned tables. */

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return Number.NaN;
  const i = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil((p / 100) * sortedMs.length) - 1));
  return sortedMs[i]!;
}

export async function opsPerSecond(
  fn: () => Promise<unknown> | unknown,
  options: { seconds?: number; warmup?: number } = {},
): Promise<number> {
  const warmup = options.warmup ?? 2_000;
  for (let i = 0; i < warmup; i++) await fn();
  const deadline = performance.now() + (options.seconds ?? 2) * 1000;
  let n = 0;
  const start = performance.now();
  while (performance.now() < deadline) {
    for (let i = 0; i < 200; i++) await fn();
    n += 200;
  }
  return n / ((performance.now() - start) / 1000);
}

export function table(title: string, header: string[], rows: Array<Array<string | number>>): void {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => String(r[i] ?? '').length)));
  console.log(`\n${title}`);
  for (const [i, row] of cells.entries()) {
    console.log(`  ${row.map((c, j) => String(c).padEnd(widths[j]!)).join('  ')}`);
    if (i === 0) console.log(`  ${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  }
}

export function fmt(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Math.abs(n) >= 1000) return Math.round(n).toLocaleString('en-US');
  if (Math.abs(n) >= 10) return n.toFixed(1);
  return n.toFixed(3);
}
