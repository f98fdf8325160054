import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  builtInProviders,
  getBuiltInProvider,
  parseProviderDefinition,
  renderTemplate,
} from '../src/index.js';
import { JSON_SCHEMA_FILE, providerJsonSchemaText } from '../src/providers/json-schema.js';

const providersDir = new URL('../providers/', import.meta.url);
const files = readdirSync(providersDir).filter((f) => f.endsWith('.json'));

function provider(id: string) {
  const def = getBuiltInProvider(id);
  if (!def?.oauth2) throw new Error(`${id} is not a built-in oauth2 provider`);
  return { ...def, oauth2: def.oauth2 };
}

describe('shipped provider files', () => {
  it.each(files)('%s validates and names its JSON Schema', (file) => {
    const raw = JSON.parse(readFileSync(new URL(file, providersDir), 'utf8'));
    expect(raw.$schema).toBe('../schema/provider.schema.json');
    const parsed = parseProviderDefinition(raw);
    expect(parsed.ok ? [] : parsed.error.issues).toEqual([]);
  });

  it('loads every file once, keyed by an id that matches the file name', () => {
    const providers = builtInProviders();
    expect([...providers.keys()].sort()).toEqual(files.map((f) => f.replace(/\.json$/, '')).sort());
    expect(builtInProviders()).toBe(providers);
    for (const [id, def] of providers) expect(def.id).toBe(id);
    expect(getBuiltInProvider('nope')).toBeUndefined();
  });

  it('ships the providers the broker is built against', () => {
    expect([...builtInProviders().keys()].sort()).toEqual([
      'asana',
      'atlassian',
      'bitbucket',
      'box',
      'github',
      'gitlab',
      'google',
      'hubspot',
      'linear',
      'microsoft',
      'notion',
      'salesforce',
      'sandbox',
      'slack',
      'stripe',
      'trello',
      'zoom',
    ]);
  });

  it('keeps the committed JSON Schema in step with the zod schema (npm run -w @gatehouse/catalog gen-schema)', () => {
    expect(readFileSync(JSON_SCHEMA_FILE, 'utf8')).toBe(providerJsonSchemaText());
  });

  it('renders every shipped URL template with its default settings and sample connection values', () => {
    const connection = {
      cloudId: '11223344-a1b2-3b33-c444-def123456789',
      instance_url: 'https://acme.my.salesforce.com',
    };
    for (const def of builtInProviders().values()) {
      const settings = Object.fromEntries(
        Object.entries(def.settings).map(([k, s]) => [k, s.default ?? 'value']),
      );
      const urls = [
        def.api.baseUrl,
        def.oauth2?.authorizationUrl,
        def.oauth2?.tokenUrl,
        def.oauth2?.revocation?.url,
      ];
      for (const url of urls.filter((u) => u !== undefined)) {
        const result = renderTemplate(url, { settings, connection });
        expect(result.ok, `${def.id}: ${url}`).toBe(true);
      }
    }
  });
});

describe('documented provider facts', () => {
  it('Slack asks for user scopes in user_scope, comma-separated, and reads tokens under authed_user', () => {
    const { oauth2 } = provider('slack');
    expect(oauth2.scopeParam).toBe('user_scope');
    expect(oauth2.scopeSeparator).toBe(',');
    expect(oauth2.tokenResponse.accessTokenPath).toBe('authed_user.access_token');
    // A refresh answers the user token at the top level.
    expect(oauth2.refreshResponse?.accessTokenPath).toBe('access_token');
  });

  it('Google asks for offline access and forces consent so a refresh token is issued', () => {
    const { oauth2 } = provider('google');
    expect(oauth2.authorizationParams).toMatchObject({ access_type: 'offline', prompt: 'consent' });
    expect(oauth2.tokenUrl).toBe('https://oauth2.googleapis.com/token');
    expect(oauth2.revocation?.url).toBe('https://oauth2.googleapis.com/revoke');
  });

  it('Notion exchanges codes with a JSON body and HTTP Basic client credentials', () => {
    const { oauth2, api } = provider('notion');
    expect(oauth2.tokenRequestEncoding).toBe('json');
    expect(oauth2.tokenEndpointAuthMethod).toBe('client_secret_basic');
    expect(api.defaultHeaders['Notion-Version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('Salesforce calls the API at the instance_url from the token response', () => {
    const salesforce = provider('salesforce');
    expect(salesforce.api.baseUrl).toBe('{{connection.instance_url}}');
    expect(salesforce.connectionConfig.instance_url).toEqual({
      from: 'token_response',
      path: 'instance_url',
    });
    expect(salesforce.oauth2.offlineScopes).toEqual(['refresh_token']);
  });

  it('Atlassian sends audience, rotates refresh tokens and finds the cloud id through accessible-resources', () => {
    const atlassian = provider('atlassian');
    expect(atlassian.oauth2.authorizationParams.audience).toBe('api.atlassian.com');
    expect(atlassian.oauth2.offlineScopes).toEqual(['offline_access']);
    expect(atlassian.oauth2.refreshTokenRotation).toBe('always');
    expect(atlassian.connectionConfig.cloudId).toMatchObject({
      from: 'request',
      url: 'https://api.atlassian.com/oauth/token/accessible-resources',
    });
    expect(atlassian.api.baseUrl).toBe('https://api.atlassian.com/ex/jira/{{connection.cloudId}}');
  });

  it('Microsoft puts the tenant in the endpoint path and needs offline_access for a refresh token', () => {
    const microsoft = provider('microsoft');
    expect(microsoft.settings.tenant?.default).toBe('common');
    expect(microsoft.oauth2.tokenUrl).toContain('/{{settings.tenant}}/oauth2/v2.0/token');
    expect(microsoft.oauth2.offlineScopes).toEqual(['offline_access']);
  });

  it('GitHub OAuth App tokens do not expire and the granted scopes come back comma-separated', () => {
    const github = provider('github');
    expect(github.oauth2.defaultTokenLifetimeSeconds).toBeNull();
    expect(github.oauth2.refreshTokenRotation).toBe('none');
    expect(github.oauth2.tokenResponse.scopeSeparator).toBe(',');
    expect(github.api.defaultHeaders['X-GitHub-Api-Version']).toBe('2022-11-28');
  });

  it('the sandbox requires PKCE, rotates refresh tokens and is the only internal provider', () => {
    const sandbox = provider('sandbox');
    expect(sandbox.oauth2.pkce).toBe('required');
    expect(sandbox.oauth2.refreshTokenRotation).toBe('always');
    const internal = [...builtInProviders().values()].filter((p) => p.api.internal).map((p) => p.id);
    expect(internal).toEqual(['sandbox']);
  });
});
