import { getPath } from './dotted-path.js';
import { linkTarget } from './link-header.js';
import type { ToolDefinition } from './schema.js';

export type ResponseHeaders = Readonly<Record<string, string | undefined>>;

/**
 * The value to pass back as the tool's cursor (or page) argument for the next page, or null when
 * there is none.
 * - cursor: the string (or number) at `nextCursorPath` in the raw response body.
 * - link_header: the RFC 8288 `Link` target with rel="next"; we return the value of the query
 *   parameter the cursor argument is sent as (GitHub: `page=3` gives "3"), never the URL itself, so
 *   the next call goes through the same tool, path and checks instead of following an upstream URL.
 * - page: upstream gives no signal, so a non-empty array means "try the next page": `page + 1`
 *   (from `args`, default 1).
 */
export function nextCursorOf(
  tool: ToolDefinition,
  body: unknown,
  headers: ResponseHeaders,
  args?: Readonly<Record<string, unknown>>,
): string | null {
  const { pagination } = tool;
  if (!pagination) return null;
  switch (pagination.style) {
    case 'cursor': {
      const next = getPath(body, pagination.nextCursorPath);
      if (typeof next === 'number' && Number.isFinite(next)) return String(next);
      return typeof next === 'string' && next !== '' ? next : null;
    }
    case 'link_header': {
      const target = linkTarget(header(headers, 'link'), 'next');
      const param = Object.entries(tool.http.query ?? {}).find(
        ([, arg]) => arg === pagination.cursorArg,
      )?.[0];
      if (target === null || param === undefined || !URL.canParse(target, 'https://base.invalid'))
        return null;
      return new URL(target, 'https://base.invalid').searchParams.get(param);
    }
    case 'page': {
      const items = tool.output?.root === undefined ? body : getPath(body, tool.output.root);
      if (!Array.isArray(items) || items.length === 0) return null;
      const current = Number(args?.[pagination.pageArg] ?? 1);
      return Number.isInteger(current) ? String(current + 1) : null;
    }
  }
}

/**
 * The arguments for the next page: the previous ones with the cursor set, as a number when the
 * argument is numeric (GitHub's `page` is an integer, a Link header only carries text).
 */
export function nextPageArguments(
  tool: ToolDefinition,
  args: Readonly<Record<string, unknown>>,
  nextCursor: string,
): Record<string, unknown> {
  const { pagination } = tool;
  if (!pagination) return { ...args };
  const arg = pagination.style === 'page' ? pagination.pageArg : pagination.cursorArg;
  const schema = tool.input.properties[arg];
  const types = typeof schema === 'object' ? [schema['type']].flat() : [];
  const numeric = (types.includes('integer') || types.includes('number')) && !types.includes('string');
  const value = numeric && /^-?\d+(\.\d+)?$/.test(nextCursor) ? Number(nextCursor) : nextCursor;
  return { ...args, [arg]: value };
}

function header(headers: ResponseHeaders, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name) return value;
  return undefined;
}
