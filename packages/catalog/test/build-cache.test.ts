import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeToolkitCache } from '../src/toolkits/build-cache.js';
import { parseToolkit } from '../src/toolkits/parse.js';
import { builtInToolkits } from '../src/toolkits/registry.js';
import { toolkitHash } from '../src/toolkits/versions.js';

/**
 * The build's record of the shipped toolkits (dist/toolkit-cache.json), which a start uses instead of
 * validating and hashing them again: it must hold exactly what parsing each file gives, keyed by the
 * file's bytes, so a start from it sees the same toolkits and versions as one without it.
 */
describe('the build record of the shipped toolkits', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-toolkit-cache-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds each shipped file’s parse and hash under the sha256 of its bytes, as ASCII', async () => {
    const file = join(dir, 'toolkit-cache.json');
    expect(await writeToolkitCache(file)).toBe(builtInToolkits().size);
    const bytes = readFileSync(file);
    // Read at start as Latin-1 (no UTF-8 decoding): only right when every byte is ASCII.
    expect(bytes.every((b) => b < 0x80)).toBe(true);
    const record = JSON.parse(bytes.toString('latin1')) as Record<
      string,
      { toolkit: { id: string }; hash: string }
    >;
    const files = ['../toolkits/', '../toolkits/generated/'].flatMap((d) =>
      readdirSync(new URL(d, import.meta.url))
        .filter((f) => f.endsWith('.json'))
        .map((f) => new URL(`${d}${f}`, import.meta.url)),
    );
    expect(Object.keys(record)).toHaveLength(files.length);
    for (const url of files) {
      const source = readFileSync(url);
      const entry = record[createHash('sha256').update(source).digest('hex')];
      const parsed = parseToolkit(JSON.parse(source.toString('utf8')));
      if (!parsed.ok) throw new Error(parsed.error.message);
      expect(entry?.toolkit.id).toBe(parsed.value.id);
      expect(JSON.stringify(entry?.toolkit)).toBe(JSON.stringify(parsed.value));
      expect(entry?.hash).toBe(toolkitHash(parsed.value));
    }
  }, 60_000);
});
