import type { z } from 'zod';
import type { ProviderDefinition } from './schema.js';

/** Cross-field rules a per-field schema cannot express. Each reports at the path that must change. */
type Issue = { path: (string | number)[]; message: string };

const ANY_BRACES = /\{\{([^}]*)\}\}|\{\{|\}\}/g;
const PLACEHOLDER = /^(settings|connection)\.([A-Za-z_][A-Za-z0-9_]*)$/;
// Prose and request bodies are not templates: `{viewer{id}}` is GraphQL, not a placeholder.
const NOT_TEMPLATES = new Set(['description', 'notes', 'displayName', 'body']);

export function refineProvider(def: ProviderDefinition, ctx: z.RefinementCtx): void {
  for (const issue of [
    ...placeholderIssues(def),
    ...oauth2Issues(def),
    ...credentialIssues(def),
    ...apiIssues(def),
    ...settingsIssues(def),
  ]) {
    ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  }
}

function placeholderIssues(def: ProviderDefinition): Issue[] {
  const issues: Issue[] = [];
  walkStrings(def, [], (value, at) => {
    for (const m of value.matchAll(ANY_BRACES)) {
      const parsed = m[1] === undefined ? null : PLACEHOLDER.exec(m[1]);
      if (!parsed) {
        issues.push({
          path: at,
          message: `Malformed placeholder ${m[0]}: use {{settings.name}} or {{connection.name}}`,
        });
        continue;
      }
      const [, source, name = ''] = parsed;
      const declared = source === 'settings' ? def.settings : def.connectionConfig;
      if (!Object.hasOwn(declared, name)) {
        const where = source === 'settings' ? 'settings' : 'connectionConfig';
        issues.push({ path: at, message: `Placeholder ${m[0]} names no entry in ${where}` });
      } else if (source === 'connection' && (at[0] === 'oauth2' || at[0] === 'connectionConfig')) {
        // Connection values exist only after the token exchange, so the OAuth flow itself cannot use them.
        issues.push({ path: at, message: `${m[0]} is not known yet here; only {{settings.x}} may be used` });
      }
    }
  });
  return issues;
}

function oauth2Issues(def: ProviderDefinition): Issue[] {
  const issues: Issue[] = [];
  const o = def.oauth2;
  if (def.authType === 'oauth2' && !o)
    return [{ path: ['oauth2'], message: 'Required when authType is oauth2' }];
  if (def.authType !== 'oauth2' && o)
    return [{ path: ['oauth2'], message: 'Only allowed when authType is oauth2' }];
  if (!o) return issues;

  const names = o.scopes.map((s) => s.name);
  names.forEach((n, i) => {
    if (names.indexOf(n) !== i)
      issues.push({ path: ['oauth2', 'scopes', i, 'name'], message: `Duplicate scope ${n}` });
  });
  if (names.length > 0) {
    for (const key of ['defaultScopes', 'offlineScopes'] as const) {
      o[key].forEach((s, i) => {
        if (!names.includes(s))
          issues.push({ path: ['oauth2', key, i], message: `${s} is not in oauth2.scopes` });
      });
    }
  }
  if (o.pkce === 'unsupported' && o.tokenEndpointAuthMethod === 'none') {
    issues.push({
      path: ['oauth2', 'pkce'],
      message: 'A client without a secret must use PKCE (tokenEndpointAuthMethod none needs pkce)',
    });
  }
  if (o.refreshTokenReuseWindowSeconds !== undefined && o.refreshTokenRotation !== 'always') {
    issues.push({
      path: ['oauth2', 'refreshTokenReuseWindowSeconds'],
      message: 'Only meaningful with rotation always',
    });
  }
  if (o.refreshTokenRotation === 'none' && o.refreshResponse) {
    issues.push({
      path: ['oauth2', 'refreshResponse'],
      message: 'No refresh tokens are issued (rotation none)',
    });
  }
  if (def.api.identity?.source === 'id_token' && !o.defaultScopes.includes('openid')) {
    issues.push({
      path: ['api', 'identity'],
      message: 'An id_token identity needs openid in oauth2.defaultScopes',
    });
  }
  return issues;
}

/** The static-credential blocks belong to their auth types; a query key needs its parameter name. */
function credentialIssues(def: ProviderDefinition): Issue[] {
  const issues: Issue[] = [];
  const k = def.apiKey;
  if (k && def.authType !== 'api_key' && def.authType !== 'bearer')
    issues.push({ path: ['apiKey'], message: 'Only allowed when authType is api_key or bearer' });
  if (def.basic && def.authType !== 'basic')
    issues.push({ path: ['basic'], message: 'Only allowed when authType is basic' });
  if (k?.in === 'query' && k.name === undefined)
    issues.push({ path: ['apiKey', 'name'], message: 'Required when the key goes in the query' });
  if (k?.in === 'query' && k.prefix !== undefined)
    issues.push({ path: ['apiKey', 'prefix'], message: 'Only meaningful in a header' });
  if (def.authType === 'bearer' && k && (k.in !== 'header' || k.name !== undefined || k.prefix !== undefined))
    issues.push({
      path: ['apiKey'],
      message: 'A bearer token goes in api.authHeader; only label, help and pattern apply',
    });
  if (k?.pattern !== undefined && !isRegExp(k.pattern))
    issues.push({ path: ['apiKey', 'pattern'], message: 'Invalid regular expression' });
  return issues;
}

function isRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

function apiIssues(def: ProviderDefinition): Issue[] {
  const issues: Issue[] = [];
  const { rateLimit } = def.api;
  if ((rateLimit.resetHeader === undefined) !== (rateLimit.resetFormat === undefined)) {
    issues.push({ path: ['api', 'rateLimit'], message: 'resetHeader and resetFormat go together' });
  }
  if (def.api.identity?.source === 'id_token' && def.authType !== 'oauth2') {
    issues.push({ path: ['api', 'identity'], message: 'An id_token identity needs authType oauth2' });
  }
  // credentialErrors are compared with the message: without messagePath there is nothing to compare.
  const errorBody = def.api.errorBody;
  if (errorBody && errorBody.credentialErrors.length > 0 && errorBody.messagePath === undefined) {
    issues.push({
      path: ['api', 'errorBody', 'credentialErrors'],
      message: 'credentialErrors need messagePath',
    });
  }
  const k = def.apiKey;
  if (k?.in === 'query' && k.name !== undefined && Object.hasOwn(def.api.defaultQuery, k.name))
    issues.push({
      path: ['api', 'defaultQuery', k.name],
      message: `${k.name} is the API key's own query parameter`,
    });
  if (!def.api.internal) {
    // Only the local sandbox may talk plain http; everything else carries tokens and must use TLS.
    const urls: [(string | number)[], string | undefined][] = [
      [['api', 'baseUrl'], def.api.baseUrl],
      [['oauth2', 'authorizationUrl'], def.oauth2?.authorizationUrl],
      [['oauth2', 'tokenUrl'], def.oauth2?.tokenUrl],
      [['oauth2', 'revocation', 'url'], def.oauth2?.revocation?.url],
      [['oauth2', 'issuer'], def.oauth2?.issuer],
      ...(def.api.additionalBaseUrls ?? []).map((url, i): [(string | number)[], string | undefined] => [
        ['api', 'additionalBaseUrls', i],
        url,
      ]),
      ...Object.entries(def.connectionConfig).map(([k, c]): [(string | number)[], string | undefined] => [
        ['connectionConfig', k, 'url'],
        c.from === 'request' ? c.url : undefined,
      ]),
    ];
    for (const [at, url] of urls) {
      if (url?.toLowerCase().startsWith('http://'))
        issues.push({ path: at, message: 'Must use https (only internal providers may use http)' });
    }
  }
  return issues;
}

function settingsIssues(def: ProviderDefinition): Issue[] {
  const issues: Issue[] = [];
  for (const [key, setting] of Object.entries(def.settings)) {
    if (setting.pattern === undefined) continue;
    let pattern: RegExp;
    try {
      pattern = new RegExp(setting.pattern);
    } catch {
      issues.push({ path: ['settings', key, 'pattern'], message: 'Invalid regular expression' });
      continue;
    }
    if (setting.default !== undefined && !pattern.test(setting.default)) {
      issues.push({
        path: ['settings', key, 'default'],
        message: `Does not match pattern ${setting.pattern}`,
      });
    }
  }
  return issues;
}

function walkStrings(
  value: unknown,
  at: (string | number)[],
  visit: (s: string, at: (string | number)[]) => void,
): void {
  if (typeof value === 'string') {
    visit(value, at);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => {
      walkStrings(v, [...at, i], visit);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) if (!NOT_TEMPLATES.has(k)) walkStrings(v, [...at, k], visit);
  }
}
