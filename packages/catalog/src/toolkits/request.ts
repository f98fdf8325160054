import { err, ok, type Result } from '../result.js';
import type { ArgumentIssue, InvalidArguments } from './arguments.js';
import { isRecord, setPath } from './dotted-path.js';
import { encodePathValue, parsePathTemplate } from './path-template.js';
import type { HttpMethod, ToolDefinition } from './schema.js';

/** One upstream call, relative to the provider's api.baseUrl. The broker adds the base and the token. */
export type ToolRequest = {
  method: HttpMethod;
  /** Path and query, every value percent-encoded, e.g. `/tasks/abc?status=open`. */
  path: string;
  headers: Record<string, string>;
  /** JSON value to send, or undefined for no body. */
  body: unknown;
};

type Scalar = string | number | boolean;

const FORM = 'application/x-www-form-urlencoded';

/**
 * Turns validated arguments into a request. Path values stay inside their segment (`../admin` becomes
 * `..%2Fadmin`); absent or null optional arguments are left out of query and headers; arrays in the
 * query repeat the parameter. Fails only on values the input schema should have refused.
 */
export function buildRequest(
  tool: ToolDefinition,
  args: Readonly<Record<string, unknown>>,
): Result<ToolRequest, InvalidArguments> {
  const issues: ArgumentIssue[] = [];
  const issue = (arg: string, message: string) => issues.push({ path: `arguments.${arg}`, message });
  const { http } = tool;
  const value = (arg: string) => (Object.hasOwn(args, arg) ? args[arg] : undefined);

  let path = '';
  const parts = parsePathTemplate(http.path);
  if ('error' in parts) throw new Error(`${tool.slug}: ${parts.error}`); // parseToolkit refuses these
  for (const part of parts) {
    if ('literal' in part) {
      path += part.literal;
      continue;
    }
    const v = value(part.arg);
    if (!isScalar(v)) {
      issue(part.arg, 'must be a string or number (it is part of the URL path)');
      continue;
    }
    const encoded = encodePathValue(String(v), part.greedy);
    if (typeof encoded === 'string') path += encoded;
    else issue(part.arg, encoded.error);
  }

  const query: string[] = Object.entries(http.constantQuery ?? {}).map(
    ([param, fixed]) => `${encodeQuery(param)}=${encodeQuery(fixed)}`,
  );
  for (const [param, arg] of Object.entries(http.query ?? {})) {
    const v = value(arg);
    if (v === undefined || v === null) continue;
    const items = Array.isArray(v) ? v : [v];
    if (!items.every(isScalar)) {
      issue(arg, 'must be a string, number, boolean or an array of them (it is a query parameter)');
      continue;
    }
    for (const item of items) query.push(`${encodeQuery(param)}=${encodeQuery(String(item))}`);
  }

  const headers: Record<string, string> = {};
  for (const [header, arg] of Object.entries(http.headers ?? {})) {
    const v = value(arg);
    if (v === undefined || v === null) continue;
    const items = Array.isArray(v) ? v : [v];
    const text = items.every(isScalar) ? items.map(String).join(', ') : undefined;
    // CR/LF would start a new header: a request-smuggling vector, never a legitimate value.
    if (text === undefined || /[\r\n\0]/.test(text)) issue(arg, 'is not a valid header value');
    else headers[header] = text;
  }

  const built = buildBody(tool, value, issue);
  const body = isDeepForm(tool) && isRecord(built) ? deepObjectFields(built) : built;
  if (body !== undefined) headers['content-type'] = isForm(tool) ? FORM : 'application/json';
  if (issues.length > 0) {
    return err({
      code: 'invalid_arguments',
      message: issues.map((i) => `${i.path}: ${i.message}`).join('; '),
      issues,
    });
  }
  return ok({
    method: http.method,
    path: query.length > 0 ? `${path}?${query.join('&')}` : path,
    headers,
    body,
  });
}

function buildBody(
  tool: ToolDefinition,
  value: (arg: string) => unknown,
  issue: (arg: string, message: string) => void,
): unknown {
  const spec = tool.http.body;
  if (spec === undefined) return undefined;
  if ('arg' in spec) return value(spec.arg);
  // Constants are deep-copied: fields set below may nest inside them (`variables.id`).
  const body: Record<string, unknown> = spec.const ? structuredClone(spec.const) : {};
  for (const [path, arg] of Object.entries(spec.fields)) {
    const v = value(arg);
    // null is kept: in a JSON body it means "clear this field" (Acme's amount, GitHub's milestone).
    if (v !== undefined && !setPath(body, path, v))
      issue(arg, `conflicts with another body field at ${path}`);
  }
  // A DELETE with nothing to say sends no body at all; other methods always send a JSON object.
  return tool.http.method === 'DELETE' && Object.keys(body).length === 0 ? undefined : body;
}

function isForm(tool: ToolDefinition): boolean {
  const body = tool.http.body;
  return body !== undefined && 'fields' in body && body.encoding !== undefined;
}

function isDeepForm(tool: ToolDefinition): boolean {
  const body = tool.http.body;
  return body !== undefined && 'fields' in body && body.encoding === 'form_deep';
}

/**
 * A body as flat form fields, nested values under bracketed keys (OpenAPI deepObject, the way Stripe
 * and Rack read them): `{ metadata: { order: 7 }, items: [{ price: 'p' }] }` becomes
 * `metadata[order]=7` and `items[0][price]=p`. Nulls and empty containers send nothing.
 */
function deepObjectFields(body: Record<string, unknown>): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  const walk = (value: unknown, key: string): void => {
    if (Array.isArray(value)) for (const [i, item] of value.entries()) walk(item, `${key}[${i}]`);
    else if (isRecord(value)) for (const [k, v] of Object.entries(value)) walk(v, `${key}[${k}]`);
    else if (isScalar(value)) out[key] = value;
  };
  for (const [key, value] of Object.entries(body)) walk(value, key);
  return out;
}

/**
 * The bytes to send for a built request: JSON, or for a form body (content-type
 * application/x-www-form-urlencoded) the top-level fields URL-encoded, objects and arrays as JSON
 * text (how Slack takes `blocks` and `attachments`), nulls left out.
 */
export function encodeBody(request: ToolRequest): string | undefined {
  if (request.body === undefined) return undefined;
  if (request.headers['content-type'] !== FORM) return JSON.stringify(request.body);
  const form = new URLSearchParams();
  for (const [key, v] of Object.entries(request.body as Record<string, unknown>)) {
    if (v === null || v === undefined) continue;
    form.append(key, isScalar(v) ? String(v) : JSON.stringify(v));
  }
  return form.toString();
}

function isScalar(value: unknown): value is Scalar {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

// RFC 3986 query component: encodeURIComponent, plus the sub-delims it leaves alone.
function encodeQuery(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
