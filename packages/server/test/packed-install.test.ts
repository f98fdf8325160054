import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from './support/gatehouse.js';

const run = promisify(execFile);
const ROOT = new URL('../../../', import.meta.url).pathname;

/**
 * The server as a user installs it: `npm pack` of the workspaces (prepack compiles them), the
 * tarballs installed into a project outside the repository from the npm registry, then
 * `npx gatehouse start --sandbox` there. No tsx is installed, so only the compiled JS can run; the
 * catalog's JSON, the SQL migrations and the PGlite template must all be found from dist/.
 */
describe('the packed server package', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'gatehouse-packed-'));
  let server: ChildProcess | undefined;
  afterAll(async () => {
    // npx runs the server as its child: the whole process group goes.
    if (server?.pid !== undefined && server.exitCode === null && server.signalCode === null) {
      process.kill(-server.pid, 'SIGKILL');
      await new Promise((r) => server?.once('exit', r));
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it('installs from its tarball and starts with npx, without tsx', { timeout: 300_000 }, async () => {
    const packs = join(scratch, 'packs');
    const app = join(scratch, 'app');
    mkdirSync(packs);
    await run('npm', ['pack', '--pack-destination', packs, ...workspaces()], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((err: { stderr?: string; stdout?: string }) => {
      throw new Error(`npm pack failed:\n${err.stdout ?? ''}${err.stderr ?? ''}`);
    });
    const tarballs = readdirSync(packs).filter((f) => f.endsWith('.tgz'));
    expect(tarballs.sort()).toEqual([
      'gatehouse-catalog-0.1.0.tgz',
      'gatehouse-sandbox-0.1.0.tgz',
      'gatehouse-server-0.1.0.tgz',
    ]);

    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), '{ "name": "scratch-app", "private": true }\n');
    // The registry's packages come from npm's cache when it has them (the repo's own install filled it).
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs.map((t) => join(packs, t))],
      { cwd: app, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(existsSync(join(app, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(join(app, 'node_modules/@gatehouse/server/src'))).toBe(false);
    // The shipped toolkits as the build parsed them: a start does not validate them again.
    expect(existsSync(join(app, 'node_modules/@gatehouse/catalog/dist/toolkit-cache.json'))).toBe(true);

    const port = await freePort();
    const dataDir = join(scratch, 'data');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? scratch,
      GATEHOUSE_PORT: String(port),
      GATEHOUSE_PUBLIC_URL: `http://127.0.0.1:${port}`,
      GATEHOUSE_SANDBOX_PORT: '0',
      GATEHOUSE_DATA_DIR: dataDir,
      GATEHOUSE_LOG_LEVEL: 'info',
    };
    const started = spawn('npx', ['--no', 'gatehouse', 'start', '--sandbox'], {
      cwd: app,
      env,
      detached: true,
    });
    server = started;
    let out = '';
    started.stdout.on('data', (d) => (out += d));
    started.stderr.on('data', (d) => (out += d));
    const url = `http://127.0.0.1:${port}`;
    const until = Date.now() + 120_000;
    for (;;) {
      if (started.exitCode !== null) throw new Error(`gatehouse exited with ${started.exitCode}:\n${out}`);
      if (Date.now() > until) throw new Error(`not ready in time:\n${out}`);
      const ready = await fetch(`${url}/readyz`).then(
        (r) => r.status,
        () => 0,
      );
      if (ready === 200) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    // A fresh data directory comes from the packaged template: no migration had to run at start.
    expect(out).not.toMatch(/database migrations applied/);
    expect(existsSync(join(dataDir, 'pgdata', 'PG_VERSION'))).toBe(true);

    // One authenticated endpoint, with the dev key the start banner printed: the catalog's provider
    // JSON is read from the installed package.
    const key = out.match(/dev API key (gth_sk_\S+)/)?.[1];
    expect(key).toBeDefined();
    const res = await fetch(`${url}/v1/providers?limit=100`, { headers: { authorization: `Bearer ${key}` } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Array<{ id: string }> };
    expect(body.items.map((p) => p.id)).toEqual(expect.arrayContaining(['github', 'sandbox']));

    const exited = new Promise((r) => started.once('exit', r));
    // npx runs the bin in a child: the signal goes to the whole group npx leads, as a terminal's Ctrl-C
    // would (npm itself dies of it; the server shuts down cleanly and stops listening).
    process.kill(-(started.pid ?? 0), 'SIGTERM');
    await exited;
    const stopBy = Date.now() + 30_000;
    while (
      !/"msg":"shutting down"/.test(out) ||
      (await fetch(`${url}/healthz`).then(
        () => true,
        () => false,
      ))
    ) {
      if (Date.now() > stopBy) throw new Error(`still running after SIGTERM:\n${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
});

function workspaces(): string[] {
  return ['@gatehouse/catalog', '@gatehouse/sandbox', '@gatehouse/server'].flatMap((w) => ['-w', w]);
}
