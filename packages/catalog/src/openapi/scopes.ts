import { isRecord } from '../toolkits/dotted-path.js';
import type { OperationConfig, ParsedImportConfig } from './config.js';
import type { Operation } from './operations.js';

/**
 * The scopes a tool declares, most specific first: the operation's config; the spec's security
 * requirement when it names an OAuth 2 or OpenID Connect scheme (the first such requirement: tools
 * declare one set of scopes, not alternatives); an explicit `security: []` (public); the first
 * matching scope rule; the default scopes.
 */
export function scopesFor(
  operation: Operation,
  spec: Record<string, unknown>,
  config: ParsedImportConfig,
  opConfig: OperationConfig | undefined,
): string[] {
  if (opConfig?.scopes) return opConfig.scopes;
  const security = operation.op['security'] ?? spec['security'];
  if (Array.isArray(security)) {
    if (security.length === 0) return [];
    const fromSpec = oauthScopes(security, spec);
    if (fromSpec !== undefined) return fromSpec;
  }
  const rule = config.scopeRules.find(({ match }) => matches(match, operation));
  return rule ? rule.scopes : config.defaultScopes;
}

function oauthScopes(security: unknown[], spec: Record<string, unknown>): string[] | undefined {
  const components = isRecord(spec['components']) ? spec['components'] : {};
  const schemes = isRecord(components['securitySchemes']) ? components['securitySchemes'] : {};
  for (const requirement of security) {
    if (!isRecord(requirement)) continue;
    const scopes = Object.entries(requirement).flatMap(([name, list]) => {
      const scheme = schemes[name];
      const type = isRecord(scheme) ? scheme['type'] : undefined;
      return (type === 'oauth2' || type === 'openIdConnect') && Array.isArray(list) ? [list] : [];
    });
    if (scopes.length > 0)
      return [...new Set(scopes.flat().filter((s): s is string => typeof s === 'string'))];
  }
  return undefined;
}

function matches(match: ParsedImportConfig['scopeRules'][number]['match'], operation: Operation): boolean {
  const tags = Array.isArray(operation.op['tags']) ? operation.op['tags'] : [];
  return (
    (match.method === undefined || match.method.toUpperCase() === operation.method) &&
    (match.pathPrefix === undefined || operation.path.startsWith(match.pathPrefix)) &&
    (match.tag === undefined || tags.includes(match.tag))
  );
}
