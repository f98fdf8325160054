#!/usr/bin/env -S node --max-semi-space-size=2
// Runs the compiled server (dist/, built by `npm run build` or prepack). In the repository, when dist/
// is missing or older than the sources, it runs the TypeScript sources through tsx instead, so a
// clone runs without a build step and an edit is never shadowed by a stale build.
import { existsSync, readdirSync, statSync } from 'node:fs';

const here = new URL('../', import.meta.url);
const built = new URL('dist/cli/main.js', here);
const stamp = new URL('dist/.tsbuildinfo', here);
const sources = ['src/', '../catalog/src/', '../sandbox/src/'].map((p) => new URL(p, here));

/** Newest modification time under `dir` (0 when it does not exist). */
function newest(dir) {
  let max = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  } catch {
    return 0;
  }
  for (const e of entries) if (e.isFile()) max = Math.max(max, statSync(`${e.parentPath}/${e.name}`).mtimeMs);
  return max;
}

function useBuilt() {
  if (process.env.GATEHOUSE_FROM_SOURCE === '1' || !existsSync(built)) return false;
  // A packed install has no sources: dist/ is all there is.
  if (!existsSync(sources[0])) return true;
  const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  return sources.every((dir) => newest(dir) <= builtAt);
}

let main;
if (useBuilt()) {
  ({ main } = await import('../dist/cli/main.js'));
} else {
  const { register } = await import('node:module');
  // Workspace packages resolve to their sources under the `gatehouse-source` export condition.
  const hook = `export async function resolve(specifier, context, next) {
  return next(specifier, { ...context, conditions: [...context.conditions, 'gatehouse-source'] });
}`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
  const tsx = await import('tsx/esm/api').catch(() => {
    console.error('gatehouse: no compiled server (dist/) and no tsx to run the sources: run `npm run build`');
    process.exit(1);
  });
  tsx.register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
