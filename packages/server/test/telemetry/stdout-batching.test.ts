import { type ChildProcess, spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';

const FIXTURE = new URL('./fixtures/stdout-lines.ts', import.meta.url).pathname;
const children: ChildProcess[] = [];

/** Runs the fixture in its own process; `lines()` is what reached its stdout so far, parsed. */
function run(access: number, mode: 'stay' | 'exit') {
  const child = spawn(
    process.execPath,
    ['--conditions=gatehouse-source', '--import', 'tsx', FIXTURE, String(access), mode],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const lines = () =>
    out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { msg: string; n?: number });
  return { lines, exited };
}

afterEach(() => {
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

// Access lines are gathered into fewer writes (telemetry/logger.ts); none may be lost or reordered.
describe('stdout: access lines gathered per write, every line still written in order', () => {
  it('a process that stays up writes its gathered lines without a further line to push them', async () => {
    const { lines } = run(5, 'stay');
    await expect.poll(() => lines().length, { timeout: 10_000 }).toBe(5);
    expect(lines().map((l) => l.n)).toEqual([0, 1, 2, 3, 4]);
  });

  it('a process that exits at once still writes every gathered line, in order', async () => {
    const { lines, exited } = run(200, 'exit');
    expect(await exited).toBe(0);
    const got = lines();
    expect(got).toHaveLength(201);
    expect(got.slice(0, 200).map((l) => l.n)).toEqual(Array.from({ length: 200 }, (_, i) => i));
    expect(got[200]!.msg).toBe('a warning');
  });
});
