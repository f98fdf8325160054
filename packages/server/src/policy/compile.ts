import type { DetailedError, SchemaJson } from '@cedar-policy/cedar-wasm/nodejs';
import { cedar } from './cedar.js';

export type PolicyMode = 'enforce' | 'shadow';

/** What a project stores: named policy sets, each enforced or in shadow, and its users' attributes. */
export interface PolicyDocument {
  sets: Array<{ name: string; mode: PolicyMode; policies: string }>;
  userAttributes: Record<string, string>;
}

export interface CompiledPolicy {
  /** Unique in the project: `<set>#<index>` (Cedar's own id is positional). */
  key: string;
  /** What people call it: the `@id("…")` annotation, or the key. */
  id: string;
  effect: 'permit' | 'forbid';
  /** `@approval("required")` on a permit: an allow it determines needs a human's approval. */
  approval: boolean;
  text: string;
}

export interface CompiledSet {
  name: string;
  mode: PolicyMode;
  policies: CompiledPolicy[];
}

/** A problem in a policy set, located in that set's text (1-based line and column). */
export interface PolicyIssue {
  set: string;
  policy: string | null;
  message: string;
  help: string | null;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type Compiled =
  | { ok: true; sets: CompiledSet[]; warnings: PolicyIssue[] }
  | { ok: false; issues: PolicyIssue[] };

/**
 * Parses every set and validates it against the schema (strict mode), reporting all problems at once.
 * Without a schema it only parses: stored versions were validated when they were written.
 */
/** Needs Cedar loaded (`loadCedar()`). */
export function compile(doc: PolicyDocument, schema: SchemaJson<string> | undefined): Compiled {
  const issues: PolicyIssue[] = [];
  const warnings: PolicyIssue[] = [];
  const sets: CompiledSet[] = [];
  for (const set of doc.sets) {
    const parts = cedar().policySetTextToParts(set.policies);
    if (parts.type === 'failure') {
      issues.push(...parts.errors.map((e) => locate(set.name, set.policies, null, e)));
      continue;
    }
    if (parts.policy_templates.length > 0) {
      issues.push(issueAt(set, 0, 'policy templates are not supported; write static policies'));
      continue;
    }
    const names = parts.policies.map((text, i) => annotationsOf(text).id ?? `${set.name}#${i}`);
    if (schema) {
      const checked = cedar().validate({
        schema,
        policies: { staticPolicies: set.policies },
        validationSettings: { mode: 'strict' },
      });
      if (checked.type === 'failure') {
        issues.push(...checked.errors.map((e) => locate(set.name, set.policies, null, e)));
        continue;
      }
      const nameOf = (cedarId: string) => names[Number(cedarId.replace(/^policy/, ''))] ?? cedarId;
      for (const v of checked.validationErrors)
        issues.push(locate(set.name, set.policies, nameOf(v.policyId), v.error));
      for (const v of checked.validationWarnings)
        warnings.push(locate(set.name, set.policies, nameOf(v.policyId), v.error));
    }
    const compiled: CompiledPolicy[] = [];
    let searchFrom = 0;
    for (const [i, text] of parts.policies.entries()) {
      const at = set.policies.indexOf(text, searchFrom);
      if (at >= 0) searchFrom = at + text.length;
      const json = cedar().policyToJson(text);
      if (json.type === 'failure') continue; // cannot happen: the set parsed
      const annotations = json.json.annotations ?? {};
      const approval = annotations.approval;
      if (approval !== undefined && approval !== 'required')
        issues.push(issueAt(set, Math.max(at, 0), '@approval takes one value: "required"', names[i]!));
      if (approval !== undefined && json.json.effect !== 'permit')
        issues.push(issueAt(set, Math.max(at, 0), '@approval belongs on a permit policy', names[i]!));
      compiled.push({
        key: `${set.name}#${i}`,
        id: names[i]!,
        effect: json.json.effect,
        approval: approval === 'required',
        text,
      });
    }
    sets.push({ name: set.name, mode: set.mode, policies: compiled });
  }
  return issues.length > 0
    ? { ok: false, issues: dedupe(issues) }
    : { ok: true, sets, warnings: dedupe(warnings) };
}

/**
 * The validator checks a policy once per action it may apply to, so one typo in a policy over all
 * actions comes back once per tool: report it once, saying how many actions it concerns.
 */
function dedupe(issues: PolicyIssue[]): PolicyIssue[] {
  const byKey = new Map<string, { issue: PolicyIssue; count: number }>();
  for (const issue of issues) {
    const message = issue.message.replace(/ for Gatehouse::Action::"[^"]*"/, '');
    const key = [
      issue.set,
      issue.policy,
      issue.line,
      issue.column,
      issue.endLine,
      issue.endColumn,
      message,
    ].join('|');
    const seen = byKey.get(key);
    if (seen) seen.count++;
    else byKey.set(key, { issue, count: 1 });
  }
  return [...byKey.values()].map(({ issue, count }) =>
    count > 1
      ? {
          ...issue,
          message: `${issue.message.replace(/ for Gatehouse::Action::"[^"]*"/, '')} (for ${count} actions)`,
        }
      : issue,
  );
}

function annotationsOf(text: string): Record<string, string> {
  const json = cedar().policyToJson(text);
  return json.type === 'success' ? (json.json.annotations ?? {}) : {};
}

function locate(set: string, text: string, policy: string | null, e: DetailedError): PolicyIssue {
  const span = e.sourceLocations?.[0];
  const start = position(text, span?.start ?? 0);
  const end = position(text, span?.end ?? span?.start ?? 0);
  const label = span?.label ? `: ${span.label}` : '';
  return {
    set,
    policy,
    message: `${e.message.replace(/^for policy `policy\d+`, /, '')}${label}`,
    help: e.help ?? null,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
  };
}

function issueAt(
  set: { name: string; policies: string },
  offset: number,
  message: string,
  policy: string | null = null,
): PolicyIssue {
  const p = position(set.policies, offset, 'chars');
  return { set: set.name, policy, message, help: null, ...p, endLine: p.line, endColumn: p.column };
}

/** Cedar reports byte offsets into the UTF-8 text; people read lines and columns (1-based, in characters). */
export function position(
  text: string,
  offset: number,
  unit: 'bytes' | 'chars' = 'bytes',
): { line: number; column: number } {
  const before =
    unit === 'bytes' ? Buffer.from(text, 'utf8').subarray(0, offset).toString('utf8') : text.slice(0, offset);
  const lines = before.split('\n');
  return { line: lines.length, column: [...lines.at(-1)!].length + 1 };
}
