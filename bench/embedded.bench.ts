import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../packages/server/test/support/gatehouse.js';
import { scratchDatabase } from './lib/gatehouse-targets.js';
import { fmt, table } from './lib/report.js';

const ROOT = new URL('../', import.meta.url).pathname;
/** Seconds a freshly started server is left idle before its RSS is read (`--idle=N`, BENCH_IDLE_SECONDS). */
const IDLE_SECONDS = Number(
  process.argv.find((a) => a.startsWith('--idle='))?.slice('--idle='.length) ??
    process.env.BENCH_IDLE_SECONDS ??
    180,
);
/** Fresh and warm starts per leg, interleaved across legs (the machine is shared): medians are printed. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Another checkout (installed) started the way it starts itself: before/after in the same run. */
const BASELINE_ROOT = process.env.BENCH_BASELINE_ROOT;

interface Leg {
  name: string;
  /** Node arguments before the CLI's own (`start --sandbox`). */
  args: string[];
  env: Record<string, string>;
  /** PostgreSQL: a new scratch database for each fresh start. */
  postgres?: boolean;
}

interface Started {
  proc: ChildProcess;
  readyMs: number;
  stop(): Promise<void>;
}

/**
 * The embedded default's footprint (issue 17): time from spawning `gatehouse start --sandbox` (what
 * `npm start` runs, after its no-op build check) to the first 200 from /readyz, with a new data
 * directory (fresh) and with the one it left (warm); the server process's RSS at ready, its peak,
 * and its RSS after `IDLE_SECONDS` idle. Only the Node process that serves is measured, not the npm
 * process `npm start` wraps it in. The PostgreSQL leg runs when GATEHOUSE_TEST_DATABASE_URL (or
 * BENCH_DATABASE_URL) is set. Targets: idle RSS <= 200 MB, fresh start <= 3 s.
 */
export async function embeddedBench(): Promise<void> {
  // What `npm start` does first: a no-op when dist/ is current.
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-package.mjs'), 'server'], { stdio: 'inherit' });
  const bin = join(ROOT, 'packages/server/bin/gatehouse.mjs');
  const legs: Leg[] = [
    { name: 'npm start (compiled, PGlite)', args: ['--max-semi-space-size=2', bin], env: {} },
    { name: 'compiled, V8 default young gen', args: [bin], env: {} },
    { name: 'from source (tsx), PGlite', args: [bin], env: { GATEHOUSE_FROM_SOURCE: '1' } },
  ];
  if (process.env.BENCH_DATABASE_URL || process.env.GATEHOUSE_TEST_DATABASE_URL)
    legs.push({
      name: 'npm start (compiled, PostgreSQL)',
      args: ['--max-semi-space-size=2', bin],
      env: {},
      postgres: true,
    });
  else console.log('\n(PostgreSQL leg skipped: set GATEHOUSE_TEST_DATABASE_URL to compare)');
  if (BASELINE_ROOT)
    legs.push({
      name: `baseline ${BASELINE_ROOT}`,
      args: [join(BASELINE_ROOT, 'packages/server/bin/gatehouse.mjs')],
      env: {},
    });

  const databases: string[] = [];
  const dirs: string[] = [];
  const newDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'gatehouse-embedded-bench-'));
    dirs.push(d);
    return d;
  };
  const envFor = async (leg: Leg, dataDir: string): Promise<Record<string, string>> => {
    const env: Record<string, string> = { ...leg.env, GATEHOUSE_DATA_DIR: dataDir };
    if (leg.postgres) {
      const db = await scratchDatabase();
      if (!db) throw new Error('PostgreSQL went away');
      databases.push(db.url);
      env.GATEHOUSE_DATABASE_URL = db.url;
    }
    return env;
  };

  const fresh = new Map<string, number[]>();
  const warm = new Map<string, number[]>();
  const readyRss = new Map<string, number[]>();
  const warmRss = new Map<string, number[]>();
  const peak = new Map<string, number[]>();
  const push = (m: Map<string, number[]>, k: string, v: number) => m.set(k, [...(m.get(k) ?? []), v]);
  try {
    console.log(
      `\nembedded: ${ROUNDS} rounds of fresh + warm starts per leg, then ${IDLE_SECONDS} s idle (load average ${loadAverage()})`,
    );
    for (let round = 0; round < ROUNDS; round++) {
      for (const leg of legs) {
        const dataDir = newDir();
        const env = await envFor(leg, dataDir);
        const first = await start(leg, env);
        push(fresh, leg.name, first.readyMs);
        push(readyRss, leg.name, rssMb(first.proc, 'VmRSS'));
        push(peak, leg.name, rssMb(first.proc, 'VmHWM'));
        await first.stop();
        const again = await start(leg, env);
        push(warm, leg.name, again.readyMs);
        push(warmRss, leg.name, rssMb(again.proc, 'VmRSS'));
        await again.stop();
      }
    }

    // One fresh start per leg, all left idle together for the same period.
    const idle: Array<{ leg: Leg; s: Started; at: number }> = [];
    for (const leg of legs) {
      const s = await start(leg, await envFor(leg, newDir()));
      idle.push({ leg, s, at: performance.now() });
    }
    const idleRss = new Map<string, number>();
    for (const { leg, s, at } of idle) {
      const wait = IDLE_SECONDS * 1000 - (performance.now() - at);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      idleRss.set(leg.name, rssMb(s.proc, 'VmRSS'));
    }
    await Promise.all(idle.map(({ s }) => s.stop()));

    const ref = legs[0]!.name;
    const med = (m: Map<string, number[]>, k: string) => median(m.get(k) ?? []);
    table(
      `embedded footprint (medians of ${ROUNDS}; load average at the end ${loadAverage()})`,
      [
        'leg',
        'fresh start ms',
        'warm start ms',
        'RSS at ready MB',
        'peak MB',
        'warm RSS MB',
        `RSS after ${IDLE_SECONDS} s MB`,
        'fresh start vs first leg',
        'idle RSS vs first leg',
      ],
      legs.map((l) => [
        l.name,
        med(fresh, l.name),
        med(warm, l.name),
        med(readyRss, l.name),
        med(peak, l.name),
        med(warmRss, l.name),
        idleRss.get(l.name) ?? Number.NaN,
        `${fmt(med(fresh, l.name) / med(fresh, ref))}x`,
        `${fmt((idleRss.get(l.name) ?? Number.NaN) / (idleRss.get(ref) ?? Number.NaN))}x`,
      ]),
    );
    const target = idleRss.get(ref) ?? Number.NaN;
    console.log(
      `  targets: idle RSS <= 200 MB (${fmt(target)} MB: ${target <= 200 ? 'met' : 'NOT met'}), ` +
        `fresh start <= 3,000 ms (${fmt(med(fresh, ref))} ms: ${med(fresh, ref) <= 3000 ? 'met' : 'NOT met'})`,
    );
    console.log(
      `  every fresh start, ms: ${legs.map((l) => `${l.name}: ${(fresh.get(l.name) ?? []).map(Math.round).join(', ')}`).join('; ')}`,
    );
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    await dropDatabases(databases);
  }
}

/** Spawns the CLI and polls /readyz until it answers 200 (every 20 ms: the figure is that precise). */
async function start(leg: Leg, env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const t0 = performance.now();
  const proc = spawn(process.execPath, [...leg.args, 'start', '--sandbox'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      GATEHOUSE_PORT: String(port),
      GATEHOUSE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      GATEHOUSE_SANDBOX_PORT: '0',
      GATEHOUSE_LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
  });
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const stop = async () => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    const force = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(force);
  };
  const deadline = t0 + 180_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`${leg.name} exited with ${proc.exitCode}: ${err}`);
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`${leg.name} not ready in 180 s: ${err}`);
    }
    const status = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return { proc, readyMs: performance.now() - t0, stop };
    await new Promise((r) => setTimeout(r, 20));
  }
}

function rssMb(proc: ChildProcess, field: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
  const kb = Number(status.match(new RegExp(`${field}:\\s+(\\d+) kB`))?.[1]);
  return kb / 1024;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function loadAverage(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

async function dropDatabases(urls: string[]): Promise<void> {
  const admin = process.env.BENCH_DATABASE_URL || process.env.GATEHOUSE_TEST_DATABASE_URL;
  if (!admin || urls.length === 0) return;
  const client = new pg.Client({ connectionString: admin });
  try {
    await client.connect();
    for (const url of urls) await client.query(`DROP DATABASE IF EXISTS ${new URL(url).pathname.slice(1)}`);
  } catch {
    // Leftover scratch databases are harmless; the figures are already printed.
  } finally {
    await client.end().catch(() => {});
  }
}
