import {
  builtInProviders,
  getBuiltInProvider,
  type ProviderDefinition,
  renderTemplate,
} from '@gatehouse/catalog';
import { urlTargetsPrivateAddress } from '../outbound/address-policy.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { CustomProviderStore } from './custom-store.js';

export type OAuth2Definition = NonNullable<ProviderDefinition['oauth2']>;

/** A provider definition with an auth config's settings applied: concrete endpoints, ready to call. */
export interface ResolvedProvider {
  id: string;
  definition: ProviderDefinition;
  /** Present exactly when the provider uses the OAuth code flow (authType oauth2). */
  oauth2: OAuth2Definition | undefined;
  custom: boolean;
  /**
   * Asks to reach loopback/private addresses (the sandbox, or a custom provider marked internal).
   * Only ever true where the operator allows internal providers; the outbound dispatcher enforces it.
   */
  internal: boolean;
  settings: Record<string, string>;
  /** OAuth endpoints; empty strings for a provider with static credentials (never called). */
  endpoints: {
    authorization: string;
    token: string;
    revocation: string | undefined;
    issuer: string | undefined;
  };
}

/** A provider that runs the OAuth code flow: what the OAuth client, connect links and the refresher need. */
export type OAuthProvider = ResolvedProvider & { oauth2: OAuth2Definition };

export const isOAuthProvider = (p: ResolvedProvider): p is OAuthProvider => p.oauth2 !== undefined;

/** For code only reached with OAuth accounts (refresh, revocation): a static-credential provider here is a bug. */
export function oauth2Of(p: ResolvedProvider): OAuth2Definition {
  if (!p.oauth2) throw new Error(`provider ${p.id} does not use OAuth`);
  return p.oauth2;
}

export interface ProviderSource {
  custom: CustomProviderStore;
  /**
   * GATEHOUSE_ALLOW_INTERNAL_PROVIDERS, an operator decision: whether any provider, built in or
   * custom, may use http and private or loopback addresses (never in production by default).
   */
  allowInternalProviders: boolean;
}

export async function findDefinition(
  src: ProviderSource,
  projectId: string,
  providerId: string,
): Promise<{ definition: ProviderDefinition; custom: boolean } | undefined> {
  const builtIn = getBuiltInProvider(providerId);
  if (builtIn) return { definition: builtIn, custom: false };
  const custom = await src.custom.bySlug(projectId, providerId);
  return custom ? { definition: custom.definition, custom: true } : undefined;
}

export const isBuiltInProvider = (id: string): boolean => builtInProviders().has(id);

/** The built-in providers this instance offers: internal ones (the sandbox) only where the operator allows them. */
export function availableBuiltInProviders(allowInternal: boolean): ProviderDefinition[] {
  return [...builtInProviders().values()].filter((d) => allowInternal || !d.api.internal);
}

/** Effective settings: the auth config's values over the definition's defaults; required ones must be present. */
export function effectiveSettings(
  definition: ProviderDefinition,
  given: Record<string, string>,
): Result<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, spec] of Object.entries(definition.settings)) {
    const value = given[name] ?? spec.default;
    if (value === undefined) {
      if (spec.required)
        return fail('invalid_request', `settings.${name} is required by provider ${definition.id}`);
      continue;
    }
    if (spec.pattern && !new RegExp(spec.pattern).test(value)) {
      return fail('invalid_request', `settings.${name} does not match ${spec.pattern}`);
    }
    out[name] = value;
  }
  const unknown = Object.keys(given).filter((k) => !(k in definition.settings));
  if (unknown.length > 0)
    return fail('invalid_request', `unknown settings for provider ${definition.id}: ${unknown.join(', ')}`);
  return ok(out);
}

export function resolveProvider(
  found: { definition: ProviderDefinition; custom: boolean },
  givenSettings: Record<string, string>,
  allowInternal: boolean,
): Result<ResolvedProvider> {
  const { definition, custom } = found;
  if (definition.authType === 'oauth2' && !definition.oauth2)
    return fail('invalid_provider', `provider ${definition.id} uses oauth2 but declares no oauth2 block`);
  if (definition.api.internal && !allowInternal) {
    return custom
      ? fail(
          'invalid_provider',
          'custom providers may not be internal on this instance (GATEHOUSE_ALLOW_INTERNAL_PROVIDERS)',
        )
      : fail(
          'provider_unavailable',
          `provider ${definition.id} is for local development only and is not available on this instance ` +
            '(GATEHOUSE_ALLOW_INTERNAL_PROVIDERS is false, the production default)',
        );
  }
  const settings = effectiveSettings(definition, givenSettings);
  if (!settings.ok) return settings;
  const vars = { settings: settings.value, connection: {} };
  const render = (template: string, what: string): Result<string> => {
    const r = renderTemplate(template, vars);
    return r.ok ? ok(r.value) : fail('invalid_provider', `${what}: ${r.error.message}`);
  };
  const o = definition.oauth2;
  const authorization = o ? render(o.authorizationUrl, 'oauth2.authorizationUrl') : ok('');
  if (!authorization.ok) return authorization;
  const token = o ? render(o.tokenUrl, 'oauth2.tokenUrl') : ok('');
  if (!token.ok) return token;
  const revocation = o?.revocation ? render(o.revocation.url, 'oauth2.revocation.url') : undefined;
  if (revocation && !revocation.ok) return revocation;
  const issuer = o?.issuer ? render(o.issuer, 'oauth2.issuer') : undefined;
  if (issuer && !issuer.ok) return issuer;
  const internal = definition.api.internal;
  // The API base URL may also need values captured at connect time; checked here when it does not.
  const api = renderTemplate(definition.api.baseUrl, vars);
  const targets: Array<[string, string | undefined]> = [
    ['oauth2.authorizationUrl', authorization.value],
    ['oauth2.tokenUrl', token.value],
    ['oauth2.revocation.url', revocation?.value],
    ['oauth2.issuer', issuer?.value],
    ['api.baseUrl', api.ok ? api.value : undefined],
  ];
  for (const [what, url] of targets) {
    if (url === undefined || url === '') continue;
    const checked = checkTarget(url, what, { internal, allowInternal });
    if (!checked.ok) return checked;
  }
  return ok({
    id: definition.id,
    definition,
    oauth2: o,
    custom,
    internal,
    settings: settings.value,
    endpoints: {
      authorization: authorization.value,
      token: token.value,
      revocation: revocation?.value,
      issuer: issuer?.value,
    },
  });
}

/**
 * A provider URL after its settings are substituted: https unless the provider is internal, and,
 * where the operator does not allow internal providers, no private IP literal or local name. The
 * outbound dispatcher checks the resolved address again at every connection; this is early feedback.
 */
function checkTarget(
  raw: string,
  what: string,
  o: { internal: boolean; allowInternal: boolean },
): Result<true> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return fail('invalid_settings', `${what} is not a valid URL: ${raw}`);
  }
  if (url.protocol !== 'https:' && !(o.internal && url.protocol === 'http:'))
    return fail('invalid_settings', `${what} must use https: ${raw}`);
  if (!o.allowInternal && urlTargetsPrivateAddress(url))
    return fail(
      'address_not_allowed',
      `${what} points to a private, loopback, link-local or reserved address (${url.host}), which this instance does not allow`,
    );
  return ok(true);
}

/**
 * A custom provider definition on an instance that does not allow internal providers: its URL
 * templates whose host is written out (no placeholder) must not name a private address or local name.
 */
export function checkDefinitionTargets(definition: ProviderDefinition, allowInternal: boolean): Result<true> {
  if (allowInternal) return ok(true);
  const o = definition.oauth2;
  const templates: Array<[string, string | undefined]> = [
    ['oauth2.authorizationUrl', o?.authorizationUrl],
    ['oauth2.tokenUrl', o?.tokenUrl],
    ['oauth2.revocation.url', o?.revocation?.url],
    ['oauth2.issuer', o?.issuer],
    ['api.baseUrl', definition.api.baseUrl],
    ...Object.entries(definition.connectionConfig).map(([k, c]): [string, string | undefined] => [
      `connectionConfig.${k}.url`,
      c.from === 'request' ? c.url : undefined,
    ]),
  ];
  for (const [what, template] of templates) {
    if (template === undefined || !URL.canParse(template)) continue; // the host is a placeholder
    const url = new URL(template);
    if (urlTargetsPrivateAddress(url))
      return fail(
        'address_not_allowed',
        `${what} points to a private, loopback, link-local or reserved address (${url.host}), which this instance does not allow`,
      );
  }
  return ok(true);
}

/**
 * Base URLs already rendered, per resolved provider and connection object: both are replaced, never
 * changed in place, when settings or an account change, so identity is the version. Every call renders
 * the same template otherwise.
 */
const renderedBaseUrls = new WeakMap<ResolvedProvider, WeakMap<object, Result<string>>>();

/** The API base URL of a connection: settings plus what was captured at connect time. */
export function apiBaseUrl(p: ResolvedProvider, connection: Record<string, string>): Result<string> {
  let byConnection = renderedBaseUrls.get(p);
  if (!byConnection) {
    byConnection = new WeakMap();
    renderedBaseUrls.set(p, byConnection);
  }
  let base = byConnection.get(connection);
  if (!base) {
    base = renderBaseUrl(p, connection);
    byConnection.set(connection, base);
  }
  return base;
}

function renderBaseUrl(p: ResolvedProvider, connection: Record<string, string>): Result<string> {
  const r = renderTemplate(p.definition.api.baseUrl, { settings: p.settings, connection });
  if (!r.ok) return fail('invalid_provider', `api.baseUrl: ${r.error.message}`);
  if (!p.internal && !r.value.startsWith('https://'))
    return fail('invalid_provider', 'api.baseUrl must use https');
  return ok(r.value.replace(/\/+$/, ''));
}
