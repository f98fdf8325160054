// Compiles the SDK for publishing: ESM with .d.ts in dist/esm, CommonJS with .d.ts in dist/cjs.
// The workspace itself runs from src/ (the `gatehouse-source` export condition); only `npm pack`
// and `npm publish` (prepack) need this.
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin/tsc');
rmSync(join(root, 'dist'), { recursive: true, force: true });
for (const project of ['tsconfig.build.json', 'tsconfig.cjs.json'])
  execFileSync(process.execPath, [tsc, '-p', join(root, project)], { stdio: 'inherit' });
// The package is "type": "module": mark the CommonJS half as such.
writeFileSync(join(root, 'dist/cjs/package.json'), '{ "type": "commonjs" }\n');
