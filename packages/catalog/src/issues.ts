import type { z } from 'zod';

/** One validation problem, at the path a user must change, e.g. `tools[2].http.path`. */
export type Issue = { path: string; message: string };

export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

export function zodIssues(error: z.ZodError): Issue[] {
  return error.issues.map((issue) => ({ path: formatPath(issue.path), message: describe(issue) }));
}

export function joinIssues(issues: readonly Issue[]): string {
  return issues.map((i) => `${i.path}: ${i.message}`).join('; ');
}

function describe(issue: z.core.$ZodIssue): string {
  // Zod reports an unknown key at its parent; say which key so a typo is obvious.
  if (issue.code === 'unrecognized_keys')
    return `Unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return issue.message;
}
