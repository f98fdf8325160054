import { type Issue, joinIssues, zodIssues } from '../issues.js';
import { err, ok, type Result } from '../result.js';
import { type Toolkit, toolkitSchema } from './schema.js';

export type InvalidToolkit = { code: 'invalid_toolkit'; message: string; issues: Issue[] };

/**
 * Validates untrusted input (a data file, an importer's output, a custom toolkit posted through the
 * API) and applies defaults. Issues name the path to fix, e.g. `tools[0].http.path: {id} is not an argument`.
 */
export function parseToolkit(input: unknown): Result<Toolkit, InvalidToolkit> {
  const parsed = toolkitSchema.safeParse(input);
  if (parsed.success) return ok(parsed.data);
  const issues = zodIssues(parsed.error);
  return err({ code: 'invalid_toolkit', message: joinIssues(issues), issues });
}
