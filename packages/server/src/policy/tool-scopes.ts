import type { ProjectCatalog } from '../catalog/tool-catalog.js';
import type { ResolvedProvider } from '../providers/resolve.js';
import { fail, ok, type Result } from '../shared/result.js';

/**
 * Least privilege for Connect Links: the scopes a list of tools needs (their union), plus what the
 * provider needs to tell who connected (`openid` when identity comes from the ID token).
 */
export function scopesForTools(
  tools: readonly string[],
  provider: ResolvedProvider,
  catalog: ProjectCatalog,
): Result<string[]> {
  const scopes = new Set<string>();
  for (const slug of tools) {
    const found = catalog.get(slug);
    if (!found) return fail('invalid_request', `body.tools: no tool named ${slug}`);
    if (found.toolkit.provider !== provider.definition.id)
      return fail(
        'invalid_request',
        `body.tools: ${slug} is a ${found.toolkit.provider} tool; this auth config is for ${provider.definition.id}`,
      );
    for (const s of found.tool.scopes) scopes.add(s);
  }
  const vocabulary = new Set((provider.oauth2?.scopes ?? []).map((s) => s.name));
  if (provider.definition.api.identity?.source === 'id_token' && vocabulary.has('openid'))
    scopes.add('openid');
  return ok([...scopes]);
}
