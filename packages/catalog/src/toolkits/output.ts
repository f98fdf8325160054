import { defineValue, deletePath, getPath, isRecord, setPath, splitPath } from './dotted-path.js';
import { nextCursorOf, type ResponseHeaders } from './pagination.js';
import type { ToolDefinition, ToolOutput } from './schema.js';

export type ShapedOutput = { data: unknown; nextCursor: string | null };

/**
 * The tool result the LLM sees: `output.root` selects part of the body, then `pick` and `rename`
 * apply to each item when that part is an array (to the value itself otherwise). The next cursor is
 * read from the raw body and headers (see nextCursorOf). A missing part or an empty body is `null`.
 * `args` (the call's arguments) is only needed for `page` pagination.
 */
export function shapeOutput(
  tool: ToolDefinition,
  body: unknown,
  headers: ResponseHeaders,
  args?: Readonly<Record<string, unknown>>,
): ShapedOutput {
  const nextCursor = nextCursorOf(tool, body, headers, args);
  const data = tool.output ? shape(tool.output, body) : body;
  return { data: data === undefined ? null : data, nextCursor };
}

function shape(output: ToolOutput, body: unknown): unknown {
  const value = output.root === undefined ? body : getPath(body, output.root);
  if (output.pick === undefined && output.rename === undefined) return value;
  return Array.isArray(value) ? value.map((item) => shapeItem(output, item)) : shapeItem(output, value);
}

function shapeItem(output: ToolOutput, item: unknown): unknown {
  if (!isRecord(item)) return item;
  // pick builds a new object; without it, copy so rename never edits the caller's body.
  const shaped = output.pick ? pick(item, output.pick.map(splitPath)) : structuredClone(item);
  if (!isRecord(shaped)) return shaped;
  // Every source is read before anything moves: `team.key → team` must not hide `team.id → teamId`.
  const moves = Object.entries(output.rename ?? {})
    .map(([from, to]) => ({ from, to, value: getPath(shaped, from) }))
    .filter((m) => m.value !== undefined);
  for (const { from } of moves) deletePath(shaped, from);
  for (const { to, value } of moves) setPath(shaped, to, value);
  return shaped;
}

/** Keeps only `paths`; a path that meets an array continues into each of its elements. */
function pick(value: unknown, paths: string[][]): unknown {
  if (paths.some((p) => p.length === 0)) return value;
  if (Array.isArray(value)) return value.map((element) => pick(element, paths));
  if (!isRecord(value)) return undefined;
  const picked: Record<string, unknown> = {};
  const heads = [...new Set(paths.map((p) => p[0] ?? ''))];
  for (const head of heads) {
    if (!Object.hasOwn(value, head)) continue;
    const tails = paths.filter((p) => p[0] === head).map((p) => p.slice(1));
    const kept = pick(value[head], tails);
    if (kept !== undefined) defineValue(picked, head, kept);
  }
  return picked;
}
