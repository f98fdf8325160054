// npm run -w @gatehouse/catalog gen-toolkits: regenerates toolkits/generated/ from toolkits/sources/.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { generateToolkit, importConfigFiles } from './openapi/generate.js';

let failed = false;
for (const configFile of importConfigFiles()) {
  const generated = generateToolkit(configFile, { warn: (m) => console.warn(`  note: ${m}`) });
  if (!generated.ok) {
    console.error(
      `${fileURLToPath(configFile)}:\n  ${generated.error.issues.map((i) => `${i.path}: ${i.message}`).join('\n  ')}`,
    );
    failed = true;
    continue;
  }
  writeFileSync(generated.value.file, generated.value.text);
  console.log(`wrote ${fileURLToPath(generated.value.file)} from ${generated.value.source}`);
}
process.exitCode = failed ? 1 : 0;
