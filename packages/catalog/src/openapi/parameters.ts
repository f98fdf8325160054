import { isRecord } from '../toolkits/dotted-path.js';
import { FORBIDDEN_HEADERS } from '../toolkits/refinements.js';
import { type ArgumentSet, withDescription } from './argument-set.js';
import { argumentName, freeName } from './naming.js';
import type { Operation } from './operations.js';
import { deref, ImportProblem } from './refs.js';
import { convertSchema, type SpecContext } from './schema-convert.js';

export type ParameterMapping = {
  /** OpenAPI path template names → argument names. */
  pathArgs: Map<string, string>;
  /** Path template names → the value written into the path (config.fixedPathParameters). */
  fixedPath: Map<string, string>;
  query: Record<string, string>;
  headers: Record<string, string>;
};

// The broker sets these; a spec that documents them as parameters describes the transport.
const SKIPPED_HEADERS = new Set([...FORBIDDEN_HEADERS, 'content-type', 'accept']);

/**
 * Path, query and header parameters as arguments (path-level ones first, overridden by the
 * operation's own with the same name and location, OpenAPI 3.1 §4.8.9). Deprecated optional
 * parameters are left out. Encodings buildRequest cannot produce are refused, not approximated.
 */
export function addParameters(
  operation: Operation,
  ctx: SpecContext,
  args: ArgumentSet,
  warn: (message: string) => void,
  leftOut: {
    omit: readonly string[];
    broker: readonly { in: string; name: string }[];
    fixedPath?: Readonly<Record<string, string>>;
    constantQuery?: Readonly<Record<string, string>>;
  } = { omit: [], broker: [] },
): ParameterMapping {
  const pathArgs = new Map<string, string>();
  const fixedPath = new Map<string, string>();
  const constant = new Set<string>();
  const query: [string, string][] = [];
  const headers: [string, string][] = [];
  for (const { param, at } of parametersOf(operation, ctx)) {
    const name = String(param['name']);
    const location = String(param['in']);
    const required = location === 'path' || param['required'] === true;
    if (location === 'cookie' || (location === 'header' && SKIPPED_HEADERS.has(name.toLowerCase()))) {
      if (required && location === 'cookie')
        throw new ImportProblem(at, 'Required cookie parameters are not supported');
      warn(`${at}: ${location} parameter ${name} left out (the broker controls it)`);
      continue;
    }
    if (param['deprecated'] === true && !required) continue;
    if (leftOut.broker.some((b) => b.in === location && b.name === name)) continue;
    if (location === 'query' && leftOut.constantQuery?.[name] !== undefined) {
      constant.add(name);
      continue;
    }
    const fixed = location === 'path' ? leftOut.fixedPath?.[name] : undefined;
    if (fixed !== undefined) {
      fixedPath.set(name, fixed);
      continue;
    }
    if (leftOut.omit.includes(name)) {
      if (required) throw new ImportProblem(at, `omitParameters names the required parameter ${name}`);
      continue;
    }
    const argName = freeName([argumentName(name), argumentName(`${location}_${name}`)], args.names);
    // An omitted optional parameter is never sent, so an encoding we cannot build does not matter.
    if (!required && args.omits(argName)) {
      args.add(argName, {}, false, at);
      continue;
    }
    const schema = convertSchema(schemaOf(param, at), ctx);
    checkEncoding(param, location, schema, at);
    const added = args.add(argName, withDescription(schema, param['description']), required, at);
    if (added === undefined) continue;
    if (location === 'path') pathArgs.set(name, added);
    else (location === 'query' ? query : headers).push([name, added]);
  }
  // fromEntries defines own properties, so even a parameter named __proto__ stays a plain key.
  const undeclared = Object.keys(leftOut.constantQuery ?? {}).filter((name) => !constant.has(name));
  if (undeclared.length > 0)
    throw new ImportProblem(operation.at, `constantQuery names no query parameter: ${undeclared.join(', ')}`);
  return { pathArgs, fixedPath, query: Object.fromEntries(query), headers: Object.fromEntries(headers) };
}

function parametersOf(
  operation: Operation,
  ctx: SpecContext,
): { param: Record<string, unknown>; at: string }[] {
  const byKey = new Map<string, { param: Record<string, unknown>; at: string }>();
  const lists = [
    [operation.pathItem['parameters'], `${operation.pathAt}.parameters`],
    [operation.op['parameters'], `${operation.at}.parameters`],
  ] as const;
  for (const [list, at] of lists) {
    if (list === undefined) continue;
    if (!Array.isArray(list)) throw new ImportProblem(at, 'Must be an array');
    list.forEach((raw, i) => {
      const param = deref(ctx.spec, raw, `${at}[${i}]`);
      if (
        typeof param['name'] !== 'string' ||
        !['path', 'query', 'header', 'cookie'].includes(String(param['in']))
      )
        throw new ImportProblem(
          `${at}[${i}]`,
          'A parameter needs a name and in: path, query, header or cookie',
        );
      byKey.set(`${String(param['in'])}:${param['name']}`, { param, at: `${at}[${i}]` });
    });
  }
  return [...byKey.values()];
}

function schemaOf(param: Record<string, unknown>, at: string): unknown {
  if (param['schema'] !== undefined) return param['schema'];
  const content = param['content'];
  if (isRecord(content)) {
    const [media] = Object.values(content);
    if (isRecord(media)) return media['schema'] ?? {};
  }
  throw new ImportProblem(at, 'A parameter needs a schema or content');
}

/** Only the default encodings: simple path segments, form-exploded query arrays, plain headers. */
function checkEncoding(param: Record<string, unknown>, location: string, schema: unknown, at: string): void {
  const type = isRecord(schema) ? schema['type'] : undefined;
  const types = Array.isArray(type) ? type : [type];
  if (types.includes('object'))
    throw new ImportProblem(at, `Object-valued ${location} parameters are not supported`);
  if (location === 'path' && types.includes('array'))
    throw new ImportProblem(at, 'Array-valued path parameters are not supported');
  const style = param['style'];
  if (location === 'query' && style !== undefined && style !== 'form')
    throw new ImportProblem(at, `Query style ${String(style)} is not supported`);
  if (location === 'query' && types.includes('array') && param['explode'] === false)
    throw new ImportProblem(at, 'Comma-joined (explode: false) query arrays are not supported');
}
