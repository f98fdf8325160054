// npm run -w @gatehouse/catalog gen-schema: regenerates schema/provider.schema.json from the zod schema.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { JSON_SCHEMA_FILE, providerJsonSchemaText } from './providers/json-schema.js';

writeFileSync(JSON_SCHEMA_FILE, providerJsonSchemaText());
console.log(`wrote ${fileURLToPath(JSON_SCHEMA_FILE)}`);
