// npm run -w @gatehouse/catalog gen-guides: regenerates docs/providers/*.md from the definitions.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { GUIDES_DIR, guideDocuments } from './providers/guide-docs.js';

const docs = guideDocuments();
mkdirSync(GUIDES_DIR, { recursive: true });
for (const file of readdirSync(GUIDES_DIR)) if (!docs.has(file)) rmSync(new URL(file, GUIDES_DIR));
for (const [file, text] of docs) writeFileSync(new URL(file, GUIDES_DIR), text);
console.log(`wrote ${docs.size} files to ${fileURLToPath(GUIDES_DIR)}`);
