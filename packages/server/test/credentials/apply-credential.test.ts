import { parseProviderDefinition } from '@gatehouse/catalog';
import { describe, expect, it } from 'vitest';
import { applyCredential } from '../../src/providers/apply-credential.js';

// How each credential kind lands on a request, as the provider definition declares it.

const provider = (extra: Record<string, unknown>) => {
  const parsed = parseProviderDefinition({
    id: 'pp',
    displayName: 'P',
    authType: 'api_key',
    api: { baseUrl: 'https://api.example.com' },
    ...extra,
  });
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
};
const url = new URL('https://api.example.com/v1/things?limit=5');

describe('credentials go where the provider definition says', () => {
  it('an API key in a named header, without the auth header prefix', () => {
    const out = applyCredential(
      provider({ apiKey: { name: 'X-Api-Key' } }),
      { kind: 'api_key', apiKey: 'k1' },
      url,
    );
    expect(out.headers).toEqual({ 'x-api-key': 'k1' });
    expect(out.url.toString()).toBe(url.toString());
  });

  it('an API key without a header name uses api.authHeader (Stripe: Authorization: Bearer sk_…)', () => {
    const out = applyCredential(provider({}), { kind: 'api_key', apiKey: 'sk_test_1' }, url);
    expect(out.headers).toEqual({ authorization: 'Bearer sk_test_1' });
  });

  it('an API key in the query keeps the other parameters, and a caller cannot override it', () => {
    const def = provider({ apiKey: { in: 'query', name: 'api_key' } });
    const sneaky = new URL('https://api.example.com/v1/things?limit=5&api_key=theirs');
    const out = applyCredential(def, { kind: 'api_key', apiKey: 'a b&c' }, sneaky);
    expect(out.headers).toEqual({});
    expect(out.url.searchParams.getAll('api_key')).toEqual(['a b&c']);
    expect(out.url.searchParams.get('limit')).toBe('5');
  });

  it('HTTP Basic per RFC 7617, and a bearer token in api.authHeader', () => {
    const basic = applyCredential(
      provider({ authType: 'basic' }),
      { kind: 'basic', username: 'Aladdin', password: 'open sesame' },
      url,
    );
    expect(basic.headers).toEqual({ authorization: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' });
    const bearer = applyCredential(
      provider({
        authType: 'bearer',
        api: { baseUrl: 'https://x.example', authHeader: { prefix: 'token ' } },
      }),
      { kind: 'bearer', token: 'ghp_x' },
      url,
    );
    expect(bearer.headers).toEqual({ authorization: 'token ghp_x' });
  });

  it('definitions that cannot work are refused with the path to fix', () => {
    const issues = (extra: Record<string, unknown>) => {
      const parsed = parseProviderDefinition({
        id: 'pp',
        displayName: 'P',
        authType: 'api_key',
        api: { baseUrl: 'https://api.example.com' },
        ...extra,
      });
      return parsed.ok ? [] : parsed.error.issues.map((i) => i.path);
    };
    expect(issues({ apiKey: { in: 'query' } })).toEqual(['apiKey.name']);
    expect(issues({ apiKey: { pattern: '(' } })).toEqual(['apiKey.pattern']);
    expect(issues({ authType: 'basic', apiKey: {} })).toEqual(['apiKey']);
    expect(issues({ authType: 'bearer', apiKey: { name: 'X' } })).toEqual(['apiKey']);
  });
});
