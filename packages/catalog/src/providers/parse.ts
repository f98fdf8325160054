import type { z } from 'zod';
import { err, ok, type Result } from '../result.js';
import { type ProviderDefinition, providerDefinitionSchema } from './schema.js';

export type ProviderIssue = { path: string; message: string };
export type InvalidProvider = { code: 'invalid_provider'; message: string; issues: ProviderIssue[] };

/**
 * Validates untrusted input (a data file, or a custom provider posted through the API) and applies
 * defaults. Every issue names the path to fix, e.g. `oauth2.tokenUrl: Invalid URL`.
 */
export function parseProviderDefinition(input: unknown): Result<ProviderDefinition, InvalidProvider> {
  const parsed = providerDefinitionSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issues = parsed.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: describe(issue),
  }));
  const message = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
  return err({ code: 'invalid_provider', message, issues });
}

export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

function describe(issue: z.core.$ZodIssue): string {
  // Zod reports an unknown key at its parent; say which key so a typo is obvious.
  if (issue.code === 'unrecognized_keys')
    return `Unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}
