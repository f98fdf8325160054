import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { err, ok, type Result } from '../result.js';
import { sharedAjv } from './ajv.js';
import type { ToolDefinition } from './schema.js';

export type ArgumentIssue = { path: string; message: string };
export type InvalidArguments = { code: 'invalid_arguments'; message: string; issues: ArgumentIssue[] };
export type ArgumentValidator = (args: unknown) => Result<Record<string, unknown>, InvalidArguments>;

// Keyed by the input schema object: parseToolkit compiles while validating, and the broker's later
// compile of the same parsed tool reuses that work.
const compiled = new WeakMap<object, ValidateFunction>();

let deferred = false;

/**
 * Runs `fn` (loading the shipped toolkits) with input schemas checked against the JSON Schema
 * meta-schema but compiled only on a tool's first call: compiling every shipped tool's schema up
 * front took seconds and ~170 MB at start-up (measured with 139 tools). This package's tests compile
 * every shipped schema, so none fails late.
 */
export function withCompilationDeferred<T>(fn: () => T): T {
  deferred = true;
  try {
    return fn();
  } finally {
    deferred = false;
  }
}

export function compilationDeferred(): boolean {
  return deferred;
}

/** Compiles an input schema once per object. Throws on a schema that does not compile. */
export function compileInputSchema(input: ToolDefinition['input']): ValidateFunction {
  let validate = compiled.get(input);
  if (!validate) {
    validate = sharedAjv().compile(input);
    compiled.set(input, validate);
  }
  return validate;
}

/**
 * The argument check the broker runs before anything else, for a tool that came out of parseToolkit
 * or the built-in registry (their input schemas are known to compile). Missing arguments (`undefined`) count as
 * `{}`, so tools without parameters can be called without any. Arguments are not coerced or
 * defaulted: what the caller sent is what is sent upstream.
 */
export function compileArgumentValidator(tool: ToolDefinition): ArgumentValidator {
  const validate = compileInputSchema(tool.input);
  return (args) => {
    const value = args === undefined ? {} : args;
    if (validate(value)) return ok(value as Record<string, unknown>);
    const issues = dedupe((validate.errors ?? []).map(toIssue));
    const message = issues.map((i) => `${i.path}: ${i.message}`).join('; ');
    return err({ code: 'invalid_arguments', message, issues });
  };
}

function toIssue(error: ErrorObject): ArgumentIssue {
  const path = argumentPath(error.instancePath);
  switch (error.keyword) {
    case 'additionalProperties':
      return { path, message: `unknown property '${String(error.params.additionalProperty)}'` };
    case 'enum': {
      const allowed = (error.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return { path, message: `must be one of ${allowed}` };
    }
    case 'type':
      return { path, message: `must be ${[error.params.type].flat().join(' or ')}` };
    default:
      return { path, message: error.message ?? `fails ${error.keyword}` };
  }
}

/** `/labels/0/name` (a JSON Pointer) in argument terms: `arguments.labels[0].name`. */
function argumentPath(pointer: string): string {
  if (pointer === '') return 'arguments';
  const keys = pointer
    .slice(1)
    .split('/')
    .map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  return `arguments${keys
    .map((k) =>
      /^\d+$/.test(k) ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`,
    )
    .join('')}`;
}

function dedupe(issues: ArgumentIssue[]): ArgumentIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.path}\n${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
