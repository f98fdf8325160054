import { getPath, isRecord } from './dotted-path.js';
import { parsePathTemplate } from './path-template.js';
import type { ToolDefinition } from './schema.js';

/** A raw request to a provider API, relative to its base URL (what the proxy forwards). */
export interface RawRequest {
  method: string;
  /** The path below the API base, percent-encoded as sent. */
  path: string;
  query: URLSearchParams;
  /** The parsed JSON body, `undefined` for none; a body that is not JSON is `{ unreadable: true }`. */
  body: unknown;
}

export type RequestMatch =
  | { kind: 'arguments'; args: Record<string, unknown> }
  /** The request is this tool's, but its body cannot be read as the tool's arguments. */
  | { kind: 'unreadable' };

export const UNREADABLE_BODY = Object.freeze({ unreadable: true });

/**
 * The inverse of `buildRequest`: when a raw request is the call a tool makes, the arguments that tool
 * would have been given. Matching leans towards "yes" (case-insensitive literals, an optional trailing
 * slash, percent-decoded unreserved characters), since a request the proxy matches to a tool is also
 * governed as that tool. Strings from the path and query take the type the input schema declares.
 */
export function matchRequest(tool: ToolDefinition, req: RawRequest): RequestMatch | undefined {
  if (tool.http.method !== req.method.toUpperCase()) return undefined;
  const path = matchPath(tool.http.path, normalizePath(req.path));
  if (!path) return undefined;
  const args: Record<string, unknown> = {};
  const coerce = coercerFor(tool);
  for (const [arg, value] of Object.entries(path)) args[arg] = coerce(arg, value);
  for (const [param, arg] of Object.entries(tool.http.query ?? {})) {
    const values = req.query.getAll(param);
    if (values.length === 0) continue;
    const typed = values.map((v) => coerce(arg, v));
    args[arg] = typed.length === 1 && !expectsArray(tool, arg) ? typed[0] : typed;
  }
  const spec = tool.http.body;
  if (spec && req.body !== undefined) {
    if (req.body === UNREADABLE_BODY) return { kind: 'unreadable' };
    if ('arg' in spec) args[spec.arg] = req.body;
    else if (!isRecord(req.body)) return { kind: 'unreadable' };
    else
      for (const [field, arg] of Object.entries(spec.fields)) {
        const value = getPath(req.body, field);
        if (value !== undefined) args[arg] = value;
      }
  }
  return { kind: 'arguments', args };
}

/** RFC 3986 §6.2.2: decode percent-encoded unreserved characters, so `/%74asks` is `/tasks`. */
export function normalizePath(path: string): string {
  return path.replace(/%([0-9A-Fa-f]{2})/g, (whole, hex: string) => {
    const c = String.fromCharCode(Number.parseInt(hex, 16));
    return /[A-Za-z0-9\-._~]/.test(c) ? c : whole.toUpperCase();
  });
}

const compiled = new Map<string, { pattern: RegExp; names: string[] } | null>();

/** A template's matcher, built once per template (the proxy matches every request against its provider's tools). */
function matcherOf(template: string): { pattern: RegExp; names: string[] } | null {
  let matcher = compiled.get(template);
  if (matcher === undefined) {
    const parts = parsePathTemplate(template);
    matcher = null;
    if (!('error' in parts)) {
      const names: string[] = [];
      let pattern = '';
      for (const part of parts) {
        if ('literal' in part) pattern += escapeRegExp(part.literal);
        else {
          names.push(part.arg);
          pattern += part.greedy ? '(.+?)' : '([^/]+)';
        }
      }
      matcher = { pattern: new RegExp(`^${pattern}/?$`, 'i'), names };
    }
    if (compiled.size >= 10_000) compiled.clear(); // custom toolkits add templates: stay bounded
    compiled.set(template, matcher);
  }
  return matcher;
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const matcher = matcherOf(template);
  const m = matcher?.pattern.exec(path);
  if (!matcher || !m) return undefined;
  const out: Record<string, string> = {};
  for (const [i, name] of matcher.names.entries()) {
    try {
      out[name] = decodeURIComponent(m[i + 1] ?? '');
    } catch {
      return undefined;
    }
  }
  return out;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function propertyOf(tool: ToolDefinition, arg: string): Record<string, unknown> | undefined {
  const properties = (tool.input as { properties?: Record<string, unknown> }).properties;
  const prop = properties?.[arg];
  return isRecord(prop) ? prop : undefined;
}

function expectsArray(tool: ToolDefinition, arg: string): boolean {
  return propertyOf(tool, arg)?.type === 'array';
}

function coercerFor(tool: ToolDefinition): (arg: string, value: string) => unknown {
  return (arg, value) => {
    const prop = propertyOf(tool, arg);
    const type = prop?.type === 'array' && isRecord(prop.items) ? prop.items.type : prop?.type;
    if ((type === 'number' || type === 'integer') && value.trim() !== '' && Number.isFinite(Number(value)))
      return Number(value);
    if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
    return value;
  };
}
