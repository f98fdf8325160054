import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { loadDirectory } from '../src/providers/registry.js';

const github = JSON.parse(readFileSync(new URL('../providers/github.json', import.meta.url), 'utf8'));
let dir: string | undefined;

function directoryWith(files: Record<string, unknown>): URL {
  dir = mkdtempSync(join(tmpdir(), 'gatehouse-catalog-'));
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return pathToFileURL(`${dir}/`);
}

afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('loading a provider directory', () => {
  it('names the file and the path when a shipped definition is broken', () => {
    const broken = { ...github, oauth2: { ...github.oauth2, tokenUrl: 'github.com/login' } };
    expect(() => loadDirectory(directoryWith({ 'github.json': broken }))).toThrow(
      'Invalid provider file github.json: oauth2.tokenUrl: Invalid URL',
    );
  });

  it('refuses a file whose id does not match its name', () => {
    expect(() => loadDirectory(directoryWith({ 'gh.json': github }))).toThrow(
      'Invalid provider file gh.json: id: must be "gh" to match the file name',
    );
  });

  it('refuses a file that is not JSON', () => {
    expect(() => loadDirectory(directoryWith({ 'github.json': '{ "id": ' }))).toThrow(
      'Invalid provider file github.json: not readable JSON',
    );
  });

  it('ignores files that are not .json', () => {
    expect([
      ...loadDirectory(directoryWith({ 'github.json': github, 'README.md': '# notes' })).keys(),
    ]).toEqual(['github']);
  });
});
