import { describe, expect, it } from 'vitest';
import { type ProviderDefinitionInput, parseProviderDefinition } from '../src/index.js';

/** A minimal valid custom provider, as a developer would post it through the API. */
function acme(): ProviderDefinitionInput {
  return {
    id: 'acme-crm',
    displayName: 'Acme CRM',
    authType: 'oauth2',
    settings: { region: { description: 'Data region', default: 'eu', pattern: '^(eu|us)$' } },
    oauth2: {
      authorizationUrl: 'https://{{settings.region}}.acme.example/oauth/authorize',
      tokenUrl: 'https://{{settings.region}}.acme.example/oauth/token',
      pkce: 'supported',
      tokenEndpointAuthMethod: 'client_secret_basic',
      defaultScopes: ['contacts:read'],
      scopes: [
        { name: 'contacts:read', description: 'Read contacts' },
        { name: 'contacts:write', description: 'Write contacts' },
      ],
      defaultTokenLifetimeSeconds: 3600,
      refreshTokenRotation: 'always',
    },
    api: { baseUrl: 'https://{{settings.region}}.acme.example/api' },
  };
}

function issuesOf(input: unknown): string[] {
  const result = parseProviderDefinition(input);
  if (result.ok) throw new Error('expected the definition to be rejected');
  expect(result.error.code).toBe('invalid_provider');
  expect(result.error.message).toBe(result.error.issues.map((i) => `${i.path}: ${i.message}`).join('; '));
  return result.error.issues.map((i) => `${i.path}: ${i.message}`);
}

describe('parseProviderDefinition', () => {
  it('accepts a custom provider and applies the documented defaults', () => {
    const result = parseProviderDefinition(acme());
    if (!result.ok) throw new Error(result.error.message);
    const { oauth2, api } = result.value;
    expect(oauth2?.scopeSeparator).toBe(' ');
    expect(oauth2?.scopeParam).toBe('scope');
    expect(oauth2?.tokenRequestEncoding).toBe('form');
    expect(oauth2?.refreshLeadTimeSeconds).toBe(300);
    expect(oauth2?.tokenResponse).toEqual({
      accessTokenPath: 'access_token',
      refreshTokenPath: 'refresh_token',
      expiresInPath: 'expires_in',
      scopePath: 'scope',
      idTokenPath: 'id_token',
    });
    expect(oauth2?.errorCodes.invalidGrant).toEqual(['invalid_grant']);
    expect(api.authHeader).toEqual({ name: 'Authorization', prefix: 'Bearer ' });
    expect(api.rateLimit.statuses).toEqual([429]);
    expect(result.value.settings.region?.required).toBe(false);
  });

  it('rejects a typo in a key, naming where it is', () => {
    const input = acme();
    const oauth2 = { ...input.oauth2, tokenUrll: 'https://x.example/token' };
    expect(issuesOf({ ...input, oauth2 })).toEqual(['oauth2: Unknown key "tokenUrll"']);
  });

  it('rejects a missing or malformed tokenUrl at oauth2.tokenUrl', () => {
    const input = acme();
    const { tokenUrl: _, ...withoutTokenUrl } = input.oauth2 ?? {};
    expect(issuesOf({ ...input, oauth2: withoutTokenUrl })).toEqual([
      'oauth2.tokenUrl: Invalid input: expected string, received undefined',
    ]);
    expect(issuesOf({ ...input, oauth2: { ...input.oauth2, tokenUrl: 'not a url' } })).toEqual([
      'oauth2.tokenUrl: Invalid URL',
    ]);
  });

  it('rejects a placeholder that names no declared setting or connection value', () => {
    const input = acme();
    const oauth2 = { ...input.oauth2, tokenUrl: 'https://{{settings.regoin}}.acme.example/oauth/token' };
    expect(issuesOf({ ...input, oauth2 })).toEqual([
      'oauth2.tokenUrl: Placeholder {{settings.regoin}} names no entry in settings',
    ]);
    const api = { baseUrl: 'https://api.acme.example/{{connection.tenantId}}' };
    expect(issuesOf({ ...input, api })).toEqual([
      'api.baseUrl: Placeholder {{connection.tenantId}} names no entry in connectionConfig',
    ]);
    expect(issuesOf({ ...input, api: { baseUrl: 'https://api.acme.example/{{tenant}}' } })).toEqual([
      'api.baseUrl: Malformed placeholder {{tenant}}: use {{settings.name}} or {{connection.name}}',
    ]);
  });

  it('does not read request bodies or prose as templates', () => {
    const input = acme();
    const identity = {
      source: 'request',
      method: 'POST',
      path: '/graphql',
      body: { query: '{viewer{id}}' },
      subjectPath: 'data.viewer.id',
    };
    const result = parseProviderDefinition({
      ...input,
      notes: 'Unlike {{settings.nope}}, prose is not a template',
      api: { ...input.api, identity },
    });
    expect(result.ok).toBe(true);
  });

  it('rejects connection values in the OAuth flow, which runs before they exist', () => {
    const input = acme();
    const result = issuesOf({
      ...input,
      connectionConfig: { tenantId: { from: 'token_response', path: 'tenant.id' } },
      oauth2: { ...input.oauth2, tokenUrl: 'https://acme.example/{{connection.tenantId}}/token' },
    });
    expect(result).toEqual([
      'oauth2.tokenUrl: {{connection.tenantId}} is not known yet here; only {{settings.x}} may be used',
    ]);
  });

  it('rejects default scopes outside the declared vocabulary', () => {
    const input = acme();
    const oauth2 = { ...input.oauth2, defaultScopes: ['contacts:read', 'contacts:delete'] };
    expect(issuesOf({ ...input, oauth2 })).toEqual([
      'oauth2.defaultScopes[1]: contacts:delete is not in oauth2.scopes',
    ]);
  });

  it('allows any default scope when the provider has no scope vocabulary', () => {
    const input = acme();
    const result = parseProviderDefinition({ ...input, oauth2: { ...input.oauth2, scopes: [] } });
    expect(result.ok).toBe(true);
  });

  it('rejects a public client without PKCE', () => {
    const input = acme();
    const oauth2 = { ...input.oauth2, pkce: 'unsupported', tokenEndpointAuthMethod: 'none' };
    expect(issuesOf({ ...input, oauth2 })).toEqual([
      'oauth2.pkce: A client without a secret must use PKCE (tokenEndpointAuthMethod none needs pkce)',
    ]);
  });

  it('requires the oauth2 block for oauth2 and accepts other auth types without it', () => {
    const { oauth2: _, ...input } = acme();
    expect(issuesOf(input)).toEqual(['oauth2: Required when authType is oauth2']);
    expect(parseProviderDefinition({ ...input, authType: 'api_key' }).ok).toBe(true);
    expect(issuesOf({ ...acme(), authType: 'basic' })).toEqual([
      'oauth2: Only allowed when authType is oauth2',
    ]);
  });

  it('rejects plain http outside the internal sandbox', () => {
    const input = acme();
    expect(issuesOf({ ...input, api: { baseUrl: 'http://api.acme.example' } })).toEqual([
      'api.baseUrl: Must use https (only internal providers may use http)',
    ]);
    expect(
      parseProviderDefinition({ ...input, api: { baseUrl: 'http://127.0.0.1:9000', internal: true } }).ok,
    ).toBe(true);
  });

  it('checks the id slug, setting defaults against their pattern, and rate-limit header pairs', () => {
    const input = acme();
    expect(issuesOf({ ...input, id: 'Acme CRM' })).toEqual([
      'id: Must be a slug: lowercase letters, digits and -, 2 to 63 chars',
    ]);
    expect(
      issuesOf({
        ...input,
        settings: { region: { description: 'Region', default: 'apac', pattern: '^(eu|us)$' } },
      }),
    ).toEqual(['settings.region.default: Does not match pattern ^(eu|us)$']);
    const api = { ...input.api, rateLimit: { resetHeader: 'x-ratelimit-reset' } };
    expect(issuesOf({ ...input, api })).toEqual(['api.rateLimit: resetHeader and resetFormat go together']);
  });

  it('rejects an id_token identity when openid is not requested', () => {
    const input = acme();
    expect(issuesOf({ ...input, api: { ...input.api, identity: { source: 'id_token' } } })).toEqual([
      'api.identity: An id_token identity needs openid in oauth2.defaultScopes',
    ]);
  });

  it('accepts default query parameters from settings, and checks their placeholders and names', () => {
    const keyed = {
      id: 'boards',
      displayName: 'Boards',
      authType: 'api_key',
      settings: { appKey: { description: 'App key', required: true } },
      apiKey: { in: 'query', name: 'token' },
      api: { baseUrl: 'https://api.boards.example/1', defaultQuery: { key: '{{settings.appKey}}' } },
    };
    const result = parseProviderDefinition(keyed);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.api.defaultQuery).toEqual({ key: '{{settings.appKey}}' });
    const plain = parseProviderDefinition(acme());
    expect(plain.ok && plain.value.api.defaultQuery).toEqual({});
    expect(issuesOf({ ...keyed, api: { ...keyed.api, defaultQuery: { key: '{{settings.nope}}' } } })).toEqual(
      ['api.defaultQuery.key: Placeholder {{settings.nope}} names no entry in settings'],
    );
    expect(issuesOf({ ...keyed, api: { ...keyed.api, defaultQuery: { token: 'x' } } })).toEqual([
      "api.defaultQuery.token: token is the API key's own query parameter",
    ]);
  });

  it('rejects input that is not an object at all', () => {
    expect(issuesOf('github')).toEqual(['(root): Invalid input: expected object, received string']);
  });
});
