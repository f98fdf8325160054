import { type Issue, joinIssues, zodIssues } from '../issues.js';
import { err, ok, type Result } from '../result.js';
import { parseToolkit } from '../toolkits/parse.js';
import type { ToolInput, Toolkit } from '../toolkits/schema.js';
import { type ImportConfig, importConfigSchema, type OperationConfig } from './config.js';
import { listOperations, type Operation } from './operations.js';
import { ImportProblem } from './refs.js';
import { buildTool } from './tool.js';

export type InvalidImport = { code: 'invalid_import'; message: string; issues: Issue[] };
export type ImportOptions = {
  /** Told about what was left out: skipped operations (in `all` mode) and parameters. */
  warn?: (message: string) => void;
};

/**
 * A toolkit from an OpenAPI 3.0 or 3.1 document. Issue paths say where to look: `config.…` in the
 * import config, `spec.…` in the document, `toolkit.…` in the generated toolkit. With a list of
 * operations every problem is an error; with `all`, operations that cannot be tools (deprecated,
 * non-JSON bodies, exotic parameter encodings) are skipped and reported to `warn`. The same inputs
 * always give the same toolkit, key order included.
 */
export function importOpenApi(
  spec: object,
  config: ImportConfig,
  options: ImportOptions = {},
): Result<Toolkit, InvalidImport> {
  const warn = options.warn ?? (() => {});
  const parsedConfig = importConfigSchema.safeParse(config);
  if (!parsedConfig.success) return invalid(prefixed('config', zodIssues(parsedConfig.error)));
  const cfg = parsedConfig.data;
  const document = spec as Record<string, unknown>;
  const version = /^3\.([01])\.\d+/.exec(typeof document['openapi'] === 'string' ? document['openapi'] : '');
  if (!version)
    return invalid([{ path: 'spec.openapi', message: 'Only OpenAPI 3.0.x and 3.1.x are supported' }]);
  const ctx = { spec: document, version: version[1] === '0' ? ('3.0' as const) : ('3.1' as const) };

  let selected: [Operation, OperationConfig | undefined][];
  try {
    const operations = listOperations(document, warn);
    if (cfg.operations === 'all') {
      selected = operations.flatMap((op): [Operation, undefined][] => {
        if (op.op['deprecated'] !== true) return [[op, undefined]];
        warn(`${op.at}: deprecated operation ${op.operationId} skipped`);
        return [];
      });
    } else {
      const picked = pick(operations, cfg.operations);
      if (!Array.isArray(picked)) return invalid(picked.issues);
      selected = picked;
    }
  } catch (cause) {
    if (cause instanceof ImportProblem)
      return invalid([{ path: `spec.${cause.path}`, message: cause.message }]);
    throw cause;
  }

  const issues: Issue[] = [];
  const tools: ToolInput[] = [];
  for (const [operation, opConfig] of selected) {
    try {
      tools.push(buildTool(operation, ctx, cfg, opConfig, warn));
    } catch (cause) {
      if (!(cause instanceof ImportProblem)) throw cause;
      if (cfg.operations === 'all') warn(`${cause.path}: ${operation.operationId} skipped: ${cause.message}`);
      else issues.push({ path: `spec.${cause.path}`, message: cause.message });
    }
  }
  if (issues.length > 0) return invalid(issues);
  if (cfg.operations === 'all') uniqueSlugs(tools, warn);

  const { id, displayName, description, provider, baseUrl } = cfg.toolkit;
  const parsed = parseToolkit({
    id,
    displayName,
    ...(description === undefined ? {} : { description }),
    provider,
    ...(baseUrl === undefined ? {} : { baseUrl }),
    tools,
  });
  return parsed.ok ? ok(parsed.value) : invalid(prefixed('toolkit', parsed.error.issues));
}

function pick(
  operations: Operation[],
  wanted: OperationConfig[],
): [Operation, OperationConfig][] | { issues: Issue[] } {
  const byId = new Map<string, Operation>();
  for (const op of operations) if (!byId.has(op.operationId)) byId.set(op.operationId, op);
  const issues: Issue[] = [];
  const seen = new Set<string>();
  const picked: [Operation, OperationConfig][] = [];
  wanted.forEach((opConfig, i) => {
    const path = `config.operations[${i}].operationId`;
    const op = byId.get(opConfig.operationId);
    if (seen.has(opConfig.operationId))
      issues.push({ path, message: `${opConfig.operationId} is listed twice` });
    else if (!op) issues.push({ path, message: `No operation ${opConfig.operationId} in the spec` });
    else picked.push([op, opConfig]);
    seen.add(opConfig.operationId);
  });
  return issues.length > 0 ? { issues } : picked;
}

/** In `all` mode two operationIds may normalise to one slug; number the later ones. */
function uniqueSlugs(tools: ToolInput[], warn: (message: string) => void): void {
  const taken = new Set<string>();
  for (const tool of tools) {
    let slug = tool.slug;
    for (let n = 2; taken.has(slug); n++) slug = `${tool.slug}_${n}`;
    if (slug !== tool.slug) warn(`${tool.slug} renamed to ${slug} (two operations share the name)`);
    tool.slug = slug;
    taken.add(slug);
  }
}

function prefixed(prefix: string, issues: Issue[]): Issue[] {
  return issues.map((i) => ({
    path: i.path === '(root)' ? prefix : `${prefix}.${i.path}`,
    message: i.message,
  }));
}

function invalid(issues: Issue[]): { ok: false; error: InvalidImport } {
  return err({ code: 'invalid_import', message: joinIssues(issues), issues });
}
