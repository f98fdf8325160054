import type { z } from 'zod';
import { sharedAjv } from './ajv.js';
import { compilationDeferred, compileInputSchema } from './arguments.js';
import { parsePathTemplate } from './path-template.js';
import type { ToolDefinition, Toolkit } from './schema.js';

/** Cross-field rules a per-field schema cannot express. Each reports at the path that must change. */
type Issue = { path: (string | number)[]; message: string };

export const TOOL_SLUG = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;

/** The broker sets these itself: credentials and framing never come from an argument. */
export const FORBIDDEN_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
]);

// LLM tool-calling APIs want an object with properties at the top; args are those properties.
const TOP_LEVEL_FORBIDDEN = ['$ref', 'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else'];

export function refineToolkit(toolkit: Toolkit, ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  toolkit.tools.forEach((tool, i) => {
    const issues: Issue[] = [];
    // A malformed slug is already reported by the schema.
    if (TOOL_SLUG.test(tool.slug) && !tool.slug.startsWith(`${toolkit.id}.`)) {
      issues.push({ path: ['slug'], message: `Must start with "${toolkit.id}." (the toolkit id)` });
    }
    const first = seen.get(tool.slug);
    if (first !== undefined) issues.push({ path: ['slug'], message: `Duplicate of tools[${first}].slug` });
    else seen.set(tool.slug, i);
    issues.push(...inputIssues(tool), ...httpIssues(tool), ...argumentUseIssues(tool));
    for (const issue of issues) {
      ctx.addIssue({ code: 'custom', path: ['tools', i, ...issue.path], message: issue.message });
    }
  });
}

function inputIssues(tool: ToolDefinition): Issue[] {
  const issues: Issue[] = [];
  const { input } = tool;
  for (const keyword of TOP_LEVEL_FORBIDDEN) {
    if (Object.hasOwn(input, keyword))
      issues.push({ path: ['input', keyword], message: 'Not allowed at the top of an input schema' });
  }
  (input.required ?? []).forEach((name, j) => {
    if (!Object.hasOwn(input.properties, name))
      issues.push({ path: ['input', 'required', j], message: `${name} is not in input.properties` });
  });
  const ajv = sharedAjv();
  if (!ajv.validateSchema(input)) {
    const detail = ajv.errorsText(ajv.errors, { dataVar: 'input' });
    issues.push({ path: ['input'], message: `Not a valid JSON Schema 2020-12: ${detail}` });
  } else if (!compilationDeferred()) {
    try {
      compileInputSchema(input);
    } catch (cause) {
      issues.push({ path: ['input'], message: `Does not compile: ${(cause as Error).message}` });
    }
  }
  return issues;
}

function httpIssues(tool: ToolDefinition): Issue[] {
  const issues: Issue[] = [];
  const { http, input } = tool;
  const has = (name: string) => Object.hasOwn(input.properties, name);
  const required = new Set(input.required ?? []);

  const parts = parsePathTemplate(http.path);
  if ('error' in parts) {
    issues.push({ path: ['http', 'path'], message: parts.error });
  } else {
    for (const part of parts) {
      if (!('arg' in part)) continue;
      if (!has(part.arg))
        issues.push({ path: ['http', 'path'], message: `{${part.arg}} is not an argument` });
      else if (!required.has(part.arg))
        issues.push({ path: ['http', 'path'], message: `{${part.arg}} must be a required argument` });
    }
  }
  for (const [key, arg] of Object.entries(http.query ?? {})) {
    if (!has(arg)) issues.push({ path: ['http', 'query', key], message: `${arg} is not an argument` });
  }
  for (const key of Object.keys(http.constantQuery ?? {})) {
    if (Object.hasOwn(http.query ?? {}, key))
      issues.push({
        path: ['http', 'constantQuery', key],
        message: 'Also mapped to an argument in http.query',
      });
  }
  for (const [header, arg] of Object.entries(http.headers ?? {})) {
    if (FORBIDDEN_HEADERS.has(header.toLowerCase()))
      issues.push({ path: ['http', 'headers', header], message: 'Set by the broker; a tool may not set it' });
    if (!has(arg)) issues.push({ path: ['http', 'headers', header], message: `${arg} is not an argument` });
  }
  if (http.body && http.method === 'GET')
    issues.push({ path: ['http', 'body'], message: 'A GET request has no body' });
  if (http.body && 'arg' in http.body && !has(http.body.arg))
    issues.push({ path: ['http', 'body', 'arg'], message: `${http.body.arg} is not an argument` });
  if (http.body && 'fields' in http.body) {
    const paths = Object.keys(http.body.fields);
    for (const [path, arg] of Object.entries(http.body.fields)) {
      if (!has(arg))
        issues.push({ path: ['http', 'body', 'fields', path], message: `${arg} is not an argument` });
      if (paths.some((other) => other.startsWith(`${path}.`)))
        issues.push({ path: ['http', 'body', 'fields', path], message: 'Conflicts with a path inside it' });
    }
  }
  return issues;
}

/** Every argument is sent somewhere, and every named argument exists. */
function argumentUseIssues(tool: ToolDefinition): Issue[] {
  const issues: Issue[] = [];
  const { http, input, pagination } = tool;
  const has = (name: string) => Object.hasOwn(input.properties, name);
  const parts = parsePathTemplate(http.path);
  if ('error' in parts) return issues; // reported by httpIssues; which args it uses is unknown
  const used = new Set([
    ...parts.flatMap((p) => ('arg' in p ? [p.arg] : [])),
    ...Object.values(http.query ?? {}),
    ...Object.values(http.headers ?? {}),
    ...(http.body === undefined
      ? []
      : 'arg' in http.body
        ? [http.body.arg]
        : Object.values(http.body.fields)),
  ]);
  for (const name of Object.keys(input.properties)) {
    if (!used.has(name))
      issues.push({ path: ['input', 'properties', name], message: 'Not sent anywhere by http' });
  }
  tool.sensitiveArguments.forEach((name, j) => {
    if (!has(name)) issues.push({ path: ['sensitiveArguments', j], message: `${name} is not an argument` });
  });
  if (pagination) {
    const arg = pagination.style === 'page' ? pagination.pageArg : pagination.cursorArg;
    const key = pagination.style === 'page' ? 'pageArg' : 'cursorArg';
    if (!has(arg)) issues.push({ path: ['pagination', key], message: `${arg} is not an argument` });
    if (pagination.style === 'link_header' && !Object.values(http.query ?? {}).includes(arg)) {
      issues.push({
        path: ['pagination', key],
        message: `${arg} must be sent as a query parameter (the next link carries it)`,
      });
    }
  }
  return issues;
}
