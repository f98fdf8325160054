import { type ChildProcess, spawn } from 'node:child_process';

export interface Child {
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * Starts a TypeScript entry point in its own Node process (so it gets its own event loop, as in
 * production) and waits until a line of its output matches `ready`.
 */
export function spawnTs(
  entry: string,
  args: string[],
  env: Record<string, string>,
  readyLine: RegExp,
  timeoutMs = Number(process.env.BENCH_READY_TIMEOUT_MS ?? 60_000),
): Promise<{ child: Child; match: RegExpMatchArray }> {
  const proc = spawn(
    process.execPath,
    [
      // e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile every process the bench starts
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ...(entry.endsWith('.ts') ? ['--conditions=gatehouse-source', '--import', 'tsx'] : []),
      entry,
      ...args,
    ],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let ready = false;
  const child: Child = {
    process: proc,
    output: () => out,
    stop: () =>
      new Promise((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 5_000).unref();
      }),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL'); // never leave a half-started server behind
      reject(new Error(`${entry} did not become ready:\n${out.slice(-2000)}`));
    }, timeoutMs);
    // After start-up only the tail is kept: a server logging every request would otherwise fill memory.
    const keep = (d: Buffer) => {
      out = (out + d.toString()).slice(ready ? -8_192 : -1_000_000);
    };
    const onData = (d: Buffer) => {
      keep(d);
      const match = ready ? null : out.match(readyLine);
      if (match) {
        ready = true;
        clearTimeout(timer);
        resolve({ child, match });
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', keep);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${entry} exited with ${code}:\n${out.slice(-2000)}`));
    });
  });
}
