import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './gatehouse.js';

const BIN = resolve(import.meta.dirname, '../../bin/gatehouse.mjs');

/** A real `gatehouse start` child process (one replica), as an operator would run it. */
export interface Replica {
  url: string;
  pid: number;
  /** stdout and stderr lines, for debugging and for searching for secrets */
  output: string[];
  metrics(): Promise<string>;
  /** SIGKILL: no shutdown hook runs, sockets and leases are abandoned as in a crash. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

export interface ReplicaOptions {
  /** PostgreSQL; without it the replica runs the embedded PGlite in `dataDir`. */
  databaseUrl?: string;
  /** The data dir (embedded database, dev key); a fresh temporary one when not given. */
  dataDir?: string;
  /** A port chosen beforehand (a redirect URI registered at the sandbox names it); free one otherwise. */
  port?: number;
  masterKey: string;
  adminToken: string;
  env?: Record<string, string>;
}

export async function startReplica(options: ReplicaOptions): Promise<Replica> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      ...(options.databaseUrl ? { GATEHOUSE_DATABASE_URL: options.databaseUrl } : {}),
      GATEHOUSE_MASTER_KEY: options.masterKey,
      GATEHOUSE_ADMIN_TOKEN: options.adminToken,
      GATEHOUSE_PORT: String(port),
      GATEHOUSE_PUBLIC_URL: url,
      GATEHOUSE_DATA_DIR: options.dataDir ?? mkdtempSync(join(tmpdir(), 'gatehouse-replica-')),
      GATEHOUSE_LOG_LEVEL: 'warn',
      // The replicas call the sandbox's task API: its toolkit (acme) must be in their catalog.
      GATEHOUSE_SANDBOX_TOOLKITS: 'true',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  await waitReady(url, child, output);
  return {
    url,
    pid: child.pid!,
    output,
    metrics: async () => (await fetch(`${url}/metrics`)).text(),
    crash: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitReady(url: string, child: ChildProcess, output: string[]): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`replica exited: ${output.join('\n')}`);
    const ok = await fetch(`${url}/readyz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`replica on ${url} not ready: ${output.join('\n')}`);
}

/** Sums one Prometheus sample (all label sets matching `labels`) over the replicas' /metrics. */
export function sumMetric(texts: string[], name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const text of texts) {
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
      if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}
