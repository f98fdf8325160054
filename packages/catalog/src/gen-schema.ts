// npm run -w @gatehouse/catalog gen-schema: regenerates schema/*.schema.json from the zod schemas.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { IMPORT_CONFIG_JSON_SCHEMA_FILE, importConfigJsonSchemaText } from './openapi/json-schema.js';
import { JSON_SCHEMA_FILE, providerJsonSchemaText } from './providers/json-schema.js';
import { TOOLKIT_JSON_SCHEMA_FILE, toolkitJsonSchemaText } from './toolkits/json-schema.js';
import { TASK_MAPPING_JSON_SCHEMA_FILE, taskMappingJsonSchemaText } from './unified/schema.js';

for (const [file, text] of [
  [JSON_SCHEMA_FILE, providerJsonSchemaText()],
  [TOOLKIT_JSON_SCHEMA_FILE, toolkitJsonSchemaText()],
  [IMPORT_CONFIG_JSON_SCHEMA_FILE, importConfigJsonSchemaText()],
  [TASK_MAPPING_JSON_SCHEMA_FILE, taskMappingJsonSchemaText()],
] as const) {
  writeFileSync(file, text);
  console.log(`wrote ${fileURLToPath(file)}`);
}
