import { percentile } from './report.js';

export interface LatencyStats {
  p50: number;
  p99: number;
  mean: number;
  n: number;
}

/** Runs `requests` calls with `concurrency` in flight and returns per-call latency percentiles (ms). */
export async function measureLatency(
  call: () => Promise<void>,
  options: { concurrency: number; requests: number; warmup?: number },
): Promise<LatencyStats> {
  await runWorkers(call, options.concurrency, options.warmup ?? Math.min(500, options.requests), () => {});
  const samples: number[] = [];
  await runWorkers(call, options.concurrency, options.requests, (ms) => samples.push(ms));
  samples.sort((a, b) => a - b);
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
    n: samples.length,
  };
}

/** Calls per second with `concurrency` in flight for `seconds`. */
export async function measureThroughput(
  call: () => Promise<void>,
  options: { concurrency: number; seconds: number },
): Promise<number> {
  await runWorkers(call, options.concurrency, options.concurrency * 50, () => {});
  let done = 0;
  const deadline = performance.now() + options.seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline) {
        await call();
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

async function runWorkers(
  call: () => Promise<void>,
  concurrency: number,
  total: number,
  record: (ms: number) => void,
): Promise<void> {
  let issued = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (issued < total) {
        issued++;
        const t = performance.now();
        await call();
        record(performance.now() - t);
      }
    }),
  );
}
