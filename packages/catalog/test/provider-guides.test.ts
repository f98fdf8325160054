import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { guideMarkdown, providerGuide } from '../src/providers/guide.js';
import { GUIDES_DIR, guideDocuments } from '../src/providers/guide-docs.js';
import { builtInProviders } from '../src/providers/registry.js';
import { builtInToolkits } from '../src/toolkits/registry.js';

describe('provider setup guides', () => {
  it('docs/providers matches the definitions (regenerate with npm run -w @gatehouse/catalog gen-guides)', () => {
    const docs = guideDocuments();
    expect(readdirSync(GUIDES_DIR).sort()).toEqual([...docs.keys()].sort());
    for (const [file, text] of docs) expect(readFileSync(new URL(file, GUIDES_DIR), 'utf8'), file).toBe(text);
  });

  it('every real provider says where to register the app', () => {
    const missing = [...builtInProviders().values()]
      .filter((p) => p.id !== 'sandbox' && !p.setup?.consoleUrl)
      .map((p) => p.id);
    expect(missing).toEqual([]);
  });

  it("a toolkit's scopes are the union of its tools' scopes, counted, with the provider's wording", () => {
    const github = builtInProviders().get('github')!;
    const guide = providerGuide(github, [...builtInToolkits().values()], 'https://gh.example/oauth/callback');
    const kit = guide.toolkits.find((t) => t.id === 'github')!;
    const tools = builtInToolkits().get('github')!.tools;
    expect(kit.tools).toBe(tools.length);
    const repo = kit.scopes.find((s) => s.name === 'repo')!;
    expect(repo.tools).toBe(tools.filter((t) => t.scopes.includes('repo')).length);
    expect(repo.description).toBe('Full access to public and private repositories');
    const md = guideMarkdown(guide);
    expect(md).toContain('`https://gh.example/oauth/callback`');
    expect(md).toContain('https://github.com/settings/applications/new');
  });
});
