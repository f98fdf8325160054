// Compiles workspaces to dist/ with tsc (their exports' default condition; `gatehouse-source` keeps the
// repo on src/), in dependency order. `node scripts/build-package.mjs [--clean] <workspace...>`.
// Incremental: a build with nothing changed takes about a second. `--clean` (prepack) starts from an
// empty dist/ so nothing stale is packed.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
const ORDER = ['catalog', 'sandbox', 'server'];
const DEPENDS = { catalog: [], sandbox: [], server: ['catalog', 'sandbox'] };

const args = process.argv.slice(2);
const clean = args.includes('--clean');
const named = args.filter((a) => !a.startsWith('--'));
for (const name of named) if (!ORDER.includes(name)) throw new Error(`unknown workspace ${name}`);
const wanted = new Set(named.flatMap((n) => [...DEPENDS[n], n]));

for (const name of ORDER.filter((n) => wanted.has(n))) {
  const pkg = join(root, 'packages', name);
  const dist = join(pkg, 'dist');
  // Only the named packages are cleaned (prepack): compiled from scratch beside dist/, then swapped
  // in, so nothing stale is packed and a server running from dist/ meanwhile never sees it half-empty.
  if (clean && named.includes(name)) {
    const next = join(pkg, `dist.next-${process.pid}`);
    rmSync(next, { recursive: true, force: true });
    execFileSync(
      process.execPath,
      [
        tsc,
        '-p',
        join(pkg, 'tsconfig.build.json'),
        '--outDir',
        next,
        '--tsBuildInfoFile',
        join(next, '.tsbuildinfo'),
      ],
      { stdio: 'inherit' },
    );
    // The server's PGlite template is slow to make and depends only on PGlite and the migrations
    // (buildTemplate checks both): carried over.
    if (existsSync(join(dist, 'pgdata-template')))
      cpSync(join(dist, 'pgdata-template'), join(next, 'pgdata-template'), { recursive: true });
    // Complete before the swap: a server starting meanwhile must find its migrations there.
    await extras(name, pkg, next);
    const old = join(pkg, `dist.old-${process.pid}`);
    if (existsSync(dist)) renameSync(dist, old);
    renameSync(next, dist);
    rmSync(old, { recursive: true, force: true });
  }
  // Up to date (the stamp is newer than every input, its dependencies' sources included): `npm start`
  // then costs no compiler run at all.
  const stamp = join(dist, '.tsbuildinfo');
  const inputs = [
    ...[name, ...DEPENDS[name]].map((n) => join(root, 'packages', n, 'src')),
    join(pkg, 'tsconfig.build.json'),
    join(pkg, 'package.json'),
  ];
  if (!(existsSync(stamp) && inputs.every((i) => newest(i) <= statSync(stamp).mtimeMs))) {
    execFileSync(process.execPath, [tsc, '-p', join(pkg, 'tsconfig.build.json')], { stdio: 'inherit' });
    // tsc leaves its build info alone when no output changed; bin/gatehouse.mjs compares this mtime.
    const now = new Date();
    utimesSync(stamp, now, now);
  }
  await extras(name, pkg, dist);
}

/**
 * What tsc does not emit: files the sources read at run time (SQL migrations, console assets, JSON
 * data, policy examples), the catalog's parsed toolkits and the server's PGlite template (see
 * store/pgdata.ts).
 */
async function extras(name, pkg, out) {
  const src = join(pkg, 'src');
  cpSync(src, out, {
    recursive: true,
    filter: (from) => statSync(from).isDirectory() || !from.endsWith('.ts'),
  });
  if (name === 'catalog') {
    // The shipped toolkits as parsed and hashed here (src/toolkits/build-cache.ts), so a start need
    // not validate them again: remade when the compiled code or any toolkit file is newer than it.
    const file = join(out, 'toolkit-cache.json');
    const made = existsSync(file) ? statSync(file).mtimeMs : 0;
    if (made < Math.max(newest(join(out, '.tsbuildinfo')), newest(join(pkg, 'toolkits')))) {
      const cache = await import(pathToFileURL(join(out, 'toolkits/build-cache.js')).href);
      await cache.writeToolkitCache(file);
    }
    return;
  }
  if (name !== 'server') return;
  const { buildTemplate } = await import(pathToFileURL(join(out, 'store/build-template.js')).href);
  if ((await buildTemplate(out)) === 'built') console.log('built dist/pgdata-template (PGlite initdb)');
}

/** Newest modification time of a file, or of any file under a directory (0 when missing). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const e of readdirSync(path, { withFileTypes: true, recursive: true }))
    if (e.isFile()) max = Math.max(max, statSync(join(e.parentPath, e.name)).mtimeMs);
  return max;
}
