import {
  builtInProviders,
  getBuiltInProvider,
  type ProviderDefinition,
  renderTemplate,
} from '@gatehouse/catalog';
import { fail, ok, type Result } from '../shared/result.js';
import type { CustomProviderStore } from './custom-store.js';

export type OAuth2Definition = NonNullable<ProviderDefinition['oauth2']>;

/** A provider definition with an auth config's settings applied: concrete endpoints, ready to call. */
export interface ResolvedProvider {
  id: string;
  definition: ProviderDefinition;
  oauth2: OAuth2Definition;
  custom: boolean;
  /** May reach loopback/private addresses (the sandbox, or custom providers where the operator allows it). */
  internal: boolean;
  settings: Record<string, string>;
  endpoints: {
    authorization: string;
    token: string;
    revocation: string | undefined;
    issuer: string | undefined;
  };
}

export interface ProviderSource {
  custom: CustomProviderStore;
  /** Whether custom providers may point at private and loopback addresses (never in production by default). */
  allowInternalCustomProviders: boolean;
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
  allowInternalCustom: boolean,
): Result<ResolvedProvider> {
  const { definition, custom } = found;
  if (definition.authType !== 'oauth2' || !definition.oauth2) {
    return fail(
      'unsupported_provider',
      `provider ${definition.id} uses ${definition.authType}, which is not supported yet`,
    );
  }
  if (custom && definition.api.internal && !allowInternalCustom) {
    return fail(
      'invalid_provider',
      'custom providers may not be internal on this instance (GATEHOUSE_ALLOW_INTERNAL_PROVIDERS)',
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
  const authorization = render(o.authorizationUrl, 'oauth2.authorizationUrl');
  if (!authorization.ok) return authorization;
  const token = render(o.tokenUrl, 'oauth2.tokenUrl');
  if (!token.ok) return token;
  const revocation = o.revocation ? render(o.revocation.url, 'oauth2.revocation.url') : undefined;
  if (revocation && !revocation.ok) return revocation;
  const issuer = o.issuer ? render(o.issuer, 'oauth2.issuer') : undefined;
  if (issuer && !issuer.ok) return issuer;
  return ok({
    id: definition.id,
    definition,
    oauth2: o,
    custom,
    internal: definition.api.internal,
    settings: settings.value,
    endpoints: {
      authorization: authorization.value,
      token: token.value,
      revocation: revocation?.value,
      issuer: issuer?.value,
    },
  });
}

/** The API base URL of a connection: settings plus what was captured at connect time. */
export function apiBaseUrl(p: ResolvedProvider, connection: Record<string, string>): Result<string> {
  const r = renderTemplate(p.definition.api.baseUrl, { settings: p.settings, connection });
  if (!r.ok) return fail('invalid_provider', `api.baseUrl: ${r.error.message}`);
  if (!p.internal && !r.value.startsWith('https://'))
    return fail('invalid_provider', 'api.baseUrl must use https');
  return ok(r.value.replace(/\/+$/, ''));
}
