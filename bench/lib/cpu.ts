import { readFileSync } from 'node:fs';
import pg from 'pg';

/**
 * CPU time of processes, from /proc (Linux): a steadier figure than latency on a shared machine,
 * where a neighbour's burst moves a p50 by more than a change does. `undefined` where /proc is not
 * readable (another OS): the bench then prints no CPU column.
 */
export function cpuMs(pids: readonly number[]): number | undefined {
  let total = 0;
  for (const pid of pids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      return undefined;
    }
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    total += ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  }
  return total;
}

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** The PostgreSQL backends serving one database (its server processes, whose CPU a call also costs). */
export async function backendsOf(databaseUrl: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
    );
    return rows.map((r) => r.pid);
  } finally {
    await client.end();
  }
}
