import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildRequest, compileArgumentValidator, getBuiltInProvider, getBuiltInTool } from '../src/index.js';
import { generateToolkit, importConfigFiles } from '../src/openapi/generate.js';

function github(slug: string) {
  const found = getBuiltInTool(slug);
  if (!found) throw new Error(`${slug} is not shipped`);
  expect(found.toolkit.id).toBe('github');
  return found.tool;
}

describe('toolkits generated from OpenAPI', () => {
  it.each(importConfigFiles().map((f) => [f.pathname.split('/').at(-1), f] as const))(
    '%s: the committed file is what the importer produces (npm run -w @gatehouse/catalog gen-toolkits)',
    (_, configFile) => {
      const generated = generateToolkit(configFile);
      if (!generated.ok) throw new Error(generated.error.message);
      expect(readFileSync(generated.value.file, 'utf8')).toBe(generated.value.text);
    },
  );
});

describe('the GitHub toolkit', () => {
  it('creates issues with POST /repos/{owner}/{repo}/issues, owner, repo and title required', () => {
    const create = github('github.issues.create');
    expect(create.http.method).toBe('POST');
    expect(create.http.path).toBe('/repos/{owner}/{repo}/issues');
    expect(create.input.required).toEqual(['owner', 'repo', 'title']);
    expect(create.scopes).toEqual(['repo']);
    expect(create.risk).toBe('write');
    const built = buildRequest(create, {
      owner: 'octo',
      repo: 'app',
      title: 'Crash on start',
      labels: ['bug'],
    });
    expect(built.ok && built.value).toEqual({
      method: 'POST',
      path: '/repos/octo/app/issues',
      headers: { 'content-type': 'application/json' },
      body: { title: 'Crash on start', labels: ['bug'] },
    });
    const missing = compileArgumentValidator(create)({ owner: 'octo', repo: 'app' });
    expect(!missing.ok && missing.error.message).toBe("arguments: must have required property 'title'");
  });

  it('asks only for scopes GitHub documents, and reads public data with none', () => {
    const vocabulary = getBuiltInProvider('github')?.oauth2?.scopes.map((s) => s.name);
    const found = getBuiltInTool('github.issues.list_for_repo');
    for (const tool of found?.toolkit.tools ?? []) {
      for (const scope of tool.scopes) expect(vocabulary).toContain(scope);
      if (tool.risk === 'read' && !tool.slug.includes('notifications')) expect(tool.scopes).toEqual([]);
    }
    expect(github('github.activity.list_notifications_for_authenticated_user').scopes).toEqual([
      'notifications',
    ]);
    expect(github('github.gists.create').scopes).toEqual(['gist']);
  });

  it('pages lists through the Link header and keeps file paths with slashes in the URL path', () => {
    expect(github('github.issues.list_for_repo').pagination).toEqual({
      style: 'link_header',
      cursorArg: 'page',
    });
    const content = github('github.repos.get_content');
    expect(content.http.path).toBe('/repos/{owner}/{repo}/contents/{path+}');
    const built = buildRequest(content, { owner: 'octo', repo: 'app', path: 'docs/read me.md', ref: 'main' });
    expect(built.ok && built.value.path).toBe('/repos/octo/app/contents/docs/read%20me.md?ref=main');
  });

  it('keeps LLM-facing answers small with output picks', () => {
    const list = github('github.pulls.list');
    expect(list.output?.pick).toContain('head.ref');
    const text = JSON.stringify(getBuiltInTool('github.pulls.list')?.toolkit);
    for (const dropped of ['"example"', '"examples"', '"x-github"', '"nullable"'])
      expect(text).not.toContain(dropped);
  });
});
