import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AdapterWorld, startAdapterWorld } from './support/adapter-world.js';

/**
 * The SDK as its users get it: `npm pack` (prepack builds dist/), installed from the tarball into a
 * scratch project, then run with plain `node` (no tsx), from CommonJS, type-checked from its
 * declarations, and bundled by esbuild — all against a running Gatehouse.
 */
const run = promisify(execFile);
const sdkDir = fileURLToPath(new URL('..', import.meta.url));
const fixtures = fileURLToPath(new URL('./fixtures/packed-app', import.meta.url));
const require = createRequire(import.meta.url);

const npmVersion = spawnSync('npm', ['--version'], { encoding: 'utf8' });
const skipReason =
  process.env.GATEHOUSE_SKIP_PACK_TEST === '1'
    ? 'GATEHOUSE_SKIP_PACK_TEST=1'
    : npmVersion.status !== 0
      ? 'npm is not on PATH'
      : undefined;
if (skipReason) console.warn(`SKIPPED packed-SDK test: ${skipReason}`);

let scratch: string;
let tarball: string;
let files: string[];
let w: AdapterWorld;

const node = (args: string[], cwd: string) =>
  run(process.execPath, args, {
    cwd,
    env: { PATH: process.env.PATH, GATEHOUSE_URL: w.gh.url, GATEHOUSE_API_KEY: w.apiKey },
  });

describe.skipIf(skipReason !== undefined)('the packed SDK in a scratch project', () => {
  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'gatehouse-sdk-pack-'));
    const packed = await run('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: sdkDir });
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = join(scratch, info!.filename);
    files = info!.files.map((f) => f.path);
    const app = join(scratch, 'app');
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'scratch', private: true, type: 'module' }),
    );
    for (const f of readdirSync(fixtures)) copyFileSync(join(fixtures, f), join(app, f));
    // Offline: the SDK has no dependencies (framework packages are optional peers).
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], {
      cwd: app,
    });
    w = await startAdapterWorld('packed-app');
  }, 300_000);
  afterAll(async () => {
    await w?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('ships compiled ESM, CommonJS and declarations, and no TypeScript source', () => {
    for (const entry of [
      'index',
      'vercel-ai/index',
      'langchain/index',
      'openai-agents/index',
      'mastra/index',
    ])
      for (const f of [
        `dist/esm/${entry}.js`,
        `dist/esm/${entry}.d.ts`,
        `dist/cjs/${entry}.js`,
        `dist/cjs/${entry}.d.ts`,
      ])
        expect(files).toContain(f);
    expect(files.filter((f) => f.startsWith('src/') || f.startsWith('test/'))).toEqual([]);
  });

  it('a plain Node ESM app runs a tool for alice with env-var configuration', async () => {
    const { stdout } = await node(['app.mjs', 'esm'], join(scratch, 'app'));
    const out = JSON.parse(stdout);
    expect(out.tools).toContain('acme.tasks.create');
    expect(out.created).toMatchObject({ successful: true, data: { title: 'esm', ownerId: 'alice' } });
    expect(out.missing).toEqual({
      name: 'NotFoundError',
      notFoundError: true,
      narrowed: true,
      code: 'tool_not_found',
    });
    expect(out.outcomes).toHaveLength(2); // two pages of one event each
    expect(stdout).not.toContain(w.apiKey);
  });

  it('a CommonJS app requires it', async () => {
    const { stdout } = await node(['app.cjs'], join(scratch, 'app'));
    expect(JSON.parse(stdout)).toEqual({ count: 2, next: true, errorClass: 'function' });
  });

  it('TypeScript resolves its declarations through `exports`', async () => {
    const app = join(scratch, 'app');
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: false,
          lib: ['ES2023', 'DOM'],
          types: [],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin/tsc');
    const checked = await run(process.execPath, [tsc, '-p', app]).catch((e: { stdout: string }) => e);
    expect(checked.stdout).toBe('');
  });

  it('esbuild bundles the app (as a Next.js-style server bundle would) and the bundle runs alone', async () => {
    const esbuild = (await import(require.resolve('esbuild'))) as typeof import('esbuild');
    const out = join(mkdtempSync(join(tmpdir(), 'gatehouse-sdk-bundle-')), 'bundle.mjs');
    await esbuild.build({
      entryPoints: [join(scratch, 'app', 'app.mjs')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: out,
      logLevel: 'silent',
    });
    // Run from a folder without node_modules: everything the app needs is in the bundle.
    const { stdout } = await node([out, 'bundled'], dirname(out));
    expect(JSON.parse(stdout).created).toMatchObject({ successful: true, data: { title: 'bundled' } });
  });
});
