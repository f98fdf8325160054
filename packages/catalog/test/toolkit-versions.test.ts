import { describe, expect, it } from 'vitest';
import {
  builtInToolkitAt,
  builtInToolkits,
  builtInToolkitVersions,
  compareVersions,
  deltaBetween,
  getBuiltInTool,
  nextVersion,
  type ToolDefinition,
  type Toolkit,
  toolHash,
  toolkitHash,
  toolsAtVersion,
} from '../src/index.js';
import { readHistory, readVersionsFile } from '../src/toolkits/versioned.js';

const REGENERATE = 'run `npm run -w @gatehouse/catalog gen-versions` and commit toolkits/versions/';

describe('shipped toolkit versions (toolkits/versions/)', () => {
  const lock = readVersionsFile();

  it.each([...builtInToolkits().keys()])(
    `%s: its tools are the latest recorded version (${REGENERATE})`,
    (id) => {
      const toolkit = builtInToolkits().get(id)!;
      const latest = lock.toolkits[id]?.[0];
      expect(latest, `${id} has no version`).toBeDefined();
      expect(toolkitHash(toolkit), `${id} changed without a new version`).toBe(latest?.hash);
      expect(builtInToolkitVersions(id)?.current).toBe(latest?.version);
    },
  );

  it('lists versions newest first, each once, and only toolkits that ship', () => {
    for (const [id, versions] of Object.entries(lock.toolkits)) {
      expect(builtInToolkits().has(id), `${id} is not a shipped toolkit`).toBe(true);
      const names = versions.map((v) => v.version);
      expect(new Set(names).size).toBe(names.length);
      for (const [i, v] of versions.entries()) {
        expect(v.version).toMatch(/^\d+\.\d+\.\d+$/);
        expect(v.hash).toMatch(/^[0-9a-f]{16}$/);
        if (i > 0) expect(compareVersions(versions[i - 1]!.version, v.version)).toBeGreaterThan(0);
      }
    }
  });

  it('resolves every recorded version to tools with its recorded hash, valid for its provider', () => {
    let checked = 0;
    for (const [id, versions] of Object.entries(lock.toolkits)) {
      for (const v of versions) {
        // builtInToolkitAt parses, checks against the provider and compares hashes, or throws.
        const toolkit = builtInToolkitAt(id, v.version);
        expect(toolkit, `${id}@${v.version}`).toBeDefined();
        expect(toolkitHash(toolkit!)).toBe(v.hash);
        checked++;
      }
      if (versions.length > 1) expect(readHistory(id), `${id} needs history`).toBeDefined();
    }
    expect(checked).toBeGreaterThanOrEqual(builtInToolkits().size);
    expect(builtInToolkitAt('github', '99.0.0')).toBeUndefined();
    expect(builtInToolkitAt('no_such_toolkit', '1.0.0')).toBeUndefined();
  });
});

describe('what makes a new version', () => {
  const base = getBuiltInTool('acme.tasks.create')!.tool;
  const change = (patch: Partial<ToolDefinition>): ToolDefinition => ({ ...base, ...patch });

  it.each<[string, Partial<ToolDefinition>]>([
    [
      'input',
      { input: { ...base.input, properties: { ...base.input.properties, extra: { type: 'string' } } } },
    ],
    ['http', { http: { ...base.http, path: '/tasks/v2' } }],
    ['output', { output: { root: 'task' } }],
    ['scopes', { scopes: [...base.scopes, 'openid'] }],
    ['risk', { risk: 'destructive' }],
    ['records', { records: { attributes: { ownerId: 'String' } } }],
  ])('a change of %s changes the tool and toolkit hash', (_field, patch) => {
    expect(toolHash(change(patch))).not.toBe(toolHash(base));
    expect(toolkitHash({ tools: [change(patch)] })).not.toBe(toolkitHash({ tools: [base] }));
  });

  it("a toolkit's own baseUrl is part of its version (every call goes there)", () => {
    expect(toolkitHash({ tools: [base], baseUrl: 'https://sheets.googleapis.com' })).not.toBe(
      toolkitHash({ tools: [base] }),
    );
  });

  it('a better description or name is not a new version; tool order is not either', () => {
    expect(toolHash(change({ description: 'Reworded for a model', name: 'Add a task' }))).toBe(
      toolHash(base),
    );
    const acme = builtInToolkits().get('acme')!;
    expect(toolkitHash({ tools: [...acme.tools].reverse() })).toBe(toolkitHash(acme));
  });

  it('bumps major for a removed tool or a changed call shape, minor otherwise', () => {
    const other = getBuiltInTool('acme.tasks.list')!.tool;
    const v1 = { tools: [base, other] };
    expect(nextVersion('1.2.3', v1, { tools: [base] })).toBe('2.0.0');
    expect(nextVersion('1.2.3', v1, { tools: [change({ http: { ...base.http, path: '/t' } }), other] })).toBe(
      '2.0.0',
    );
    expect(nextVersion('1.2.3', v1, { tools: [change({ risk: 'destructive' }), other] })).toBe('1.3.0');
    const added = { ...base, slug: 'acme.tasks.clone' };
    expect(nextVersion('1.2.3', v1, { tools: [base, other, added] })).toBe('1.3.0');
  });

  it('replays deltas newest to oldest: each old version gets back exactly its tools', () => {
    const other = getBuiltInTool('acme.tasks.list')!.tool;
    const added = { ...base, slug: 'acme.tasks.clone' };
    const v1: Pick<Toolkit, 'tools'> = { tools: [base, other] };
    const v2: Pick<Toolkit, 'tools'> = { tools: [change({ risk: 'destructive' }), other, added] };
    const v3: Pick<Toolkit, 'tools'> = { tools: [change({ risk: 'destructive' }), added] };
    const versions = [
      { version: '2.0.0', hash: toolkitHash(v3) },
      { version: '1.1.0', hash: toolkitHash(v2) },
      { version: '1.0.0', hash: toolkitHash(v1) },
    ];
    const history = {
      toolkit: 'acme',
      versions: { '1.1.0': { tools: deltaBetween(v2, v3) }, '1.0.0': { tools: deltaBetween(v1, v2) } },
    };
    // Only what changed is kept: v2 -> v3 removed one tool, v1 -> v2 changed one and added one.
    expect(Object.keys(history.versions['1.1.0'].tools)).toEqual(['acme.tasks.list']);
    expect(history.versions['1.0.0'].tools).toEqual({ 'acme.tasks.create': base, 'acme.tasks.clone': null });
    for (const [v, expected] of [
      ['2.0.0', v3],
      ['1.1.0', v2],
      ['1.0.0', v1],
    ] as const) {
      const tools = toolsAtVersion(v3, versions, history, v);
      expect(toolkitHash({ tools: tools! })).toBe(toolkitHash(expected));
    }
    expect(toolsAtVersion(v3, versions, undefined, '1.0.0')).toBeUndefined();
  });
});
