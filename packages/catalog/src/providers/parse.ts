import { type Issue, joinIssues, zodIssues } from '../issues.js';
import { err, ok, type Result } from '../result.js';
import { type ProviderDefinition, providerDefinitionSchema } from './schema.js';

export { formatPath } from '../issues.js';
export type ProviderIssue = Issue;
export type InvalidProvider = { code: 'invalid_provider'; message: string; issues: ProviderIssue[] };

/**
 * Validates untrusted input (a data file, or a custom provider posted through the API) and applies
 * defaults. Every issue names the path to fix, e.g. `oauth2.tokenUrl: Invalid URL`.
 */
export function parseProviderDefinition(input: unknown): Result<ProviderDefinition, InvalidProvider> {
  const parsed = providerDefinitionSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issues = zodIssues(parsed.error);
  return err({ code: 'invalid_provider', message: joinIssues(issues), issues });
}
