import { getPath, type ProviderDefinition } from '@gatehouse/catalog';

/**
 * The message of a failure a provider reports in a 2xx body (`api.errorBody`: GraphQL `errors`,
 * Slack's `ok: false`), if this is one; 'no message' when the definition names no message path.
 */
export function bodyError(spec: ProviderDefinition['api']['errorBody'], body: unknown): string | undefined {
  if (!spec) return undefined;
  const value = getPath(body, spec.path);
  const failed =
    spec.when === 'false'
      ? value === false
      : value !== undefined && value !== null && !(Array.isArray(value) && value.length === 0);
  if (!failed) return undefined;
  const message = spec.messagePath === undefined ? undefined : getPath(body, spec.messagePath);
  return typeof message === 'string' ? message.slice(0, 300) : 'no message';
}
