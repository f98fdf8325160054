import { describe, expect, it } from 'vitest';
import { placeholdersOf, renderTemplate, renderValue } from '../src/index.js';

const vars = (settings: Record<string, string> = {}, connection: Record<string, string> = {}) => ({
  settings,
  connection,
});

function rendered(template: string, v = vars()): string {
  const result = renderTemplate(template, v);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function refusal(template: string, v = vars()): string {
  const result = renderTemplate(template, v);
  if (result.ok) throw new Error(`expected ${template} to be refused, got ${result.value}`);
  expect(result.error.code).toBe('invalid_template_value');
  return result.error.message;
}

describe('placeholdersOf', () => {
  it('lists settings and connection placeholders in order', () => {
    expect(placeholdersOf('{{settings.baseUrl}}/x/{{connection.cloudId}}/{{settings.baseUrl}}')).toEqual([
      { source: 'settings', name: 'baseUrl' },
      { source: 'connection', name: 'cloudId' },
      { source: 'settings', name: 'baseUrl' },
    ]);
    expect(placeholdersOf('https://api.github.com')).toEqual([]);
  });
});

describe('renderTemplate', () => {
  it('substitutes values verbatim', () => {
    const microsoft = 'https://login.microsoftonline.com/{{settings.tenant}}/oauth2/v2.0/token';
    expect(rendered(microsoft, vars({ tenant: 'contoso.onmicrosoft.com' }))).toBe(
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
    );
    const jira = 'https://api.atlassian.com/ex/jira/{{connection.cloudId}}';
    expect(rendered(jira, vars({}, { cloudId: 'a%2Fb' }))).toBe('https://api.atlassian.com/ex/jira/a%2Fb');
    // Raw whitespace never makes a valid URL, wherever it sits.
    refusal(jira, vars({}, { cloudId: 'a b' }));
  });

  it('accepts a whole base URL where the host is a placeholder', () => {
    expect(rendered('{{settings.baseUrl}}/oauth/auth', vars({ baseUrl: 'http://127.0.0.1:4200' }))).toBe(
      'http://127.0.0.1:4200/oauth/auth',
    );
    expect(
      rendered('{{connection.instance_url}}', vars({}, { instance_url: 'https://acme.my.salesforce.com' })),
    ).toBe('https://acme.my.salesforce.com');
  });

  it('refuses a missing value', () => {
    expect(refusal('https://login.microsoftonline.com/{{settings.tenant}}/x')).toContain(
      '{{settings.tenant}}',
    );
    // Inherited properties are not values.
    refusal('https://x.example/{{settings.constructor}}');
  });

  it('refuses a value that would move a literal host elsewhere', () => {
    const template = 'https://{{settings.subdomain}}.example.com/api';
    expect(rendered(template, vars({ subdomain: 'acme' }))).toBe('https://acme.example.com/api');
    for (const subdomain of ['evil.com/', 'evil.com?', 'evil.com#', 'user@evil.com', 'a b', 'evil.com:444']) {
      refusal(template, vars({ subdomain }));
    }
  });

  it('keeps a path value from changing the origin', () => {
    const template = 'https://api.atlassian.com/ex/jira/{{connection.cloudId}}';
    // Odd values stay inside the path; what matters is that the origin cannot change.
    expect(rendered(template, vars({}, { cloudId: '../../evil' }))).toBe(
      'https://api.atlassian.com/ex/jira/../../evil',
    );
    // A placeholder glued to the host is part of the host.
    for (const suffix of ['@evil.com', '\\evil.com', ':8080']) {
      refusal('https://api.example.com{{settings.suffix}}/x', vars({ suffix }));
    }
  });

  it('requires a host placeholder to be an absolute http(s) URL without credentials, query or fragment', () => {
    for (const baseUrl of [
      'javascript:alert(1)',
      '127.0.0.1:4200',
      'http://user:pw@127.0.0.1:4200',
      'http://127.0.0.1:4200?x=1',
      'http://127.0.0.1:4200#frag',
      'http://127.0.0.1:4200 ',
    ]) {
      refusal('{{settings.baseUrl}}/oauth/auth', vars({ baseUrl }));
    }
  });

  it('refuses a second placeholder that extends the host of the first', () => {
    refusal(
      '{{settings.baseUrl}}{{settings.path}}',
      vars({ baseUrl: 'https://a.example', path: '.evil.com/x' }),
    );
    expect(
      rendered('{{settings.baseUrl}}{{settings.path}}', vars({ baseUrl: 'https://a.example', path: '/x' })),
    ).toBe('https://a.example/x');
  });

  it('keeps a relative path relative', () => {
    expect(rendered('/repos/{{connection.owner}}', vars({}, { owner: 'octo' }))).toBe('/repos/octo');
    refusal('/{{connection.owner}}/x', vars({}, { owner: '/evil.com' }));
    refusal('/{{connection.owner}}', vars({}, { owner: '\\evil.com' }));
  });
});

describe('renderValue', () => {
  it('substitutes a value verbatim (the caller encodes it) and refuses a missing one', () => {
    const v = vars({ apiKey: 'abc/../?x=1#y' });
    const r = renderValue('{{settings.apiKey}}', v);
    expect(r.ok && r.value).toBe('abc/../?x=1#y');
    const missing = renderValue('{{settings.other}}', v);
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.error.message).toBe('missing value for {{settings.other}}');
  });
});
