import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { currentOpenApiDocument, renderSdkTypes, SDK_TYPES_FILE } from './sdk-types.js';

// `npm run gen:sdk-types`: rewrites the SDK's generated API types from the server's route table.
const source = await renderSdkTypes(await currentOpenApiDocument());
mkdirSync(dirname(SDK_TYPES_FILE), { recursive: true });
writeFileSync(SDK_TYPES_FILE, source);
console.log(`wrote ${SDK_TYPES_FILE}`);
