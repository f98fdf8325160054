import type { Risk, ToolInput } from '../toolkits/schema.js';
import { ArgumentSet } from './argument-set.js';
import type { OperationConfig, ParsedImportConfig } from './config.js';
import { slugFromOperationId } from './naming.js';
import type { Operation } from './operations.js';
import { addParameters, type ParameterMapping } from './parameters.js';
import { ImportProblem } from './refs.js';
import { addRequestBody } from './request-body.js';
import type { SpecContext } from './schema-convert.js';
import { scopesFor } from './scopes.js';

const RISK_BY_METHOD: Record<Operation['method'], Risk> = {
  GET: 'read',
  DELETE: 'destructive',
  POST: 'write',
  PUT: 'write',
  PATCH: 'write',
};

/** One operation as a tool definition (not yet validated; parseToolkit does that for the whole set). */
export function buildTool(
  operation: Operation,
  ctx: SpecContext & { spec: Record<string, unknown> },
  config: ParsedImportConfig,
  opConfig: OperationConfig | undefined,
  warn: (message: string) => void,
): ToolInput {
  const args = new ArgumentSet(opConfig?.omitArguments, opConfig?.renameArguments);
  const parameters = addParameters(operation, ctx, args, warn, {
    omit: config.omitParameters,
    broker: config.brokerParameters,
    fixedPath: config.fixedPathParameters,
    ...(opConfig?.constantQuery === undefined ? {} : { constantQuery: opConfig.constantQuery }),
  });
  const body = addRequestBody(operation, ctx, args, warn, opConfig?.omitBodyProperties ?? []);
  for (const name of opConfig?.requiredArguments ?? []) {
    if (!args.names.has(name))
      throw new ImportProblem(operation.at, `requiredArguments names no argument: ${name}`);
    if (!args.required.includes(name)) args.required.push(name);
  }
  const unused = args.unusedOmissions();
  if (unused.length > 0)
    throw new ImportProblem(operation.at, `omitArguments names no argument: ${unused.join(', ')}`);
  const unusedRenames = args.unusedRenames();
  if (unusedRenames.length > 0)
    throw new ImportProblem(operation.at, `renameArguments names no argument: ${unusedRenames.join(', ')}`);

  const summary = text(operation.op['summary']);
  const pagination = paginationFor(operation, config, opConfig, parameters);
  return {
    slug:
      opConfig?.slug ??
      slugFromOperationId(config.toolkit.id, operation.operationId, config.slugFromOperationId),
    name: (opConfig?.name ?? summary ?? operation.operationId).slice(0, 120),
    description: opConfig?.description ?? describe(operation, summary),
    input: {
      type: 'object',
      properties: args.properties,
      ...(args.required.length > 0 ? { required: args.required } : {}),
      additionalProperties: false,
    },
    scopes: scopesFor(operation, ctx.spec, config, opConfig),
    risk: opConfig?.risk ?? RISK_BY_METHOD[operation.method],
    ...(opConfig?.idempotent === undefined ? {} : { idempotent: opConfig.idempotent }),
    http: {
      method: operation.method,
      path: `${config.basePath ?? ''}${toolPath(operation, parameters, opConfig?.greedyPathArguments ?? [])}`,
      ...(Object.keys(parameters.query).length > 0 ? { query: parameters.query } : {}),
      ...(opConfig?.constantQuery === undefined ? {} : { constantQuery: opConfig.constantQuery }),
      ...(Object.keys(parameters.headers).length > 0 ? { headers: parameters.headers } : {}),
      ...(body === undefined ? {} : { body }),
    },
    ...(opConfig?.output === undefined ? {} : { output: opConfig.output }),
    ...(pagination === undefined ? {} : { pagination }),
    ...(opConfig?.sensitiveArguments === undefined
      ? {}
      : { sensitiveArguments: opConfig.sensitiveArguments }),
    ...(opConfig?.costUnits === undefined ? {} : { costUnits: opConfig.costUnits }),
    ...(opConfig?.records === undefined ? {} : { records: opConfig.records }),
  };
}

/** `/repos/{owner}/contents/{path}` with argument names, `{name+}` where slashes are meant. */
function toolPath(operation: Operation, parameters: ParameterMapping, greedy: readonly string[]): string {
  const unknownGreedy = greedy.filter((g) => ![...parameters.pathArgs].some(([p, a]) => g === p || g === a));
  if (unknownGreedy.length > 0)
    throw new ImportProblem(
      operation.at,
      `greedyPathArguments names no path parameter: ${unknownGreedy.join(', ')}`,
    );
  return operation.path.replace(/\{([^}]*)\}/g, (_, name: string) => {
    const fixed = parameters.fixedPath.get(name);
    if (fixed !== undefined) return encodeURIComponent(fixed);
    const arg = parameters.pathArgs.get(name);
    if (arg === undefined) throw new ImportProblem(operation.at, `Path parameter {${name}} is not declared`);
    return greedy.includes(arg) || greedy.includes(name) ? `{${arg}+}` : `{${arg}}`;
  });
}

function paginationFor(
  operation: Operation,
  config: ParsedImportConfig,
  opConfig: OperationConfig | undefined,
  parameters: ParameterMapping,
): ToolInput['pagination'] {
  if (opConfig?.pagination !== undefined) return opConfig.pagination ?? undefined;
  const rule = config.pagination;
  const arg =
    rule && operation.method === 'GET' && Object.hasOwn(parameters.query, rule.queryParam)
      ? parameters.query[rule.queryParam]
      : undefined;
  if (rule === undefined || arg === undefined) return undefined;
  switch (rule.style) {
    case 'link_header':
      return { style: 'link_header', cursorArg: arg };
    case 'page':
      return { style: 'page', pageArg: arg };
    case 'cursor':
      return { style: 'cursor', cursorArg: arg, nextCursorPath: rule.nextCursorPath };
  }
}

function describe(operation: Operation, summary: string | undefined): string {
  const description = text(operation.op['description']);
  if (summary === undefined) return description ?? `${operation.method} ${operation.path}`;
  if (description === undefined || description.startsWith(summary)) return description ?? summary;
  return `${summary.replace(/\.$/, '')}. ${description}`;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}
