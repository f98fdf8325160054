import { createHash } from 'node:crypto';
import type { ToolDefinition, Toolkit } from './schema.js';

/**
 * Toolkit versions. A version names the contract of a toolkit's tools: what a call takes and sends,
 * what it answers, what it may do and needs. Names and descriptions are documentation and are left
 * out, so improving a description is not a new version; any other change of a tool is.
 *
 * The shipped versions live in two data files:
 * - `toolkits/versions/versions.json`: per toolkit, its versions newest first, each with the hash of its tools;
 * - `toolkits/versions/history/<id>.json`: per superseded version, the tools that differ from the next newer
 *   version (their old definition, or null for a tool that version did not have). A pinned version is
 *   the current toolkit with these deltas applied, newest to oldest, so history stays small.
 */

/** The parts of a tool that make its contract. */
const CONTRACT_FIELDS = [
  'slug',
  'input',
  'http',
  'output',
  'pagination',
  'scopes',
  'risk',
  'idempotent',
  'records',
  'sensitiveArguments',
  'costUnits',
] as const satisfies readonly (keyof ToolDefinition)[];

/** Changes to these may break a caller written against the previous version: a major version. */
const CALL_SHAPE_FIELDS = new Set<string>(['input', 'http', 'output', 'pagination']);

export interface ToolkitVersion {
  version: string;
  /** sha256 over the tools' contracts (`toolkitHash`), 16 hex digits. */
  hash: string;
}

/** One superseded version: tools that differ from the next newer version (null: not in this version). */
export type VersionDelta = Record<string, ToolDefinition | null>;

export interface ToolkitHistory {
  toolkit: string;
  /** Per superseded version: its tools that differ from the next newer one; its baseUrl if that differed. */
  versions: Record<string, { tools: VersionDelta; baseUrl?: string | null }>;
}

/** JSON with object keys sorted at every level, so equal values hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

function contractOf(
  tool: ToolDefinition,
  fields: readonly string[] = CONTRACT_FIELDS,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) out[f] = (tool as Record<string, unknown>)[f];
  return out;
}

/** The hash of one tool's contract (12 hex digits). */
export const toolHash = (tool: ToolDefinition): string => sha(canonicalJson(contractOf(tool)), 12);

/**
 * The hash of a toolkit's tools: their contracts, in slug order (tool order is not part of it), and
 * the toolkit's own baseUrl when it has one (where every call goes).
 */
export function toolkitHash(toolkit: Pick<Toolkit, 'tools'> & { baseUrl?: string | undefined }): string {
  const lines = toolkit.tools.map((t) => `${t.slug}:${toolHash(t)}`).sort();
  if (toolkit.baseUrl !== undefined) lines.push(`baseUrl:${toolkit.baseUrl}`);
  return sha(lines.join('\n'), 16);
}

/** The tools that differ between an older and a newer toolkit, as the older one had them. */
export function deltaBetween(older: Pick<Toolkit, 'tools'>, newer: Pick<Toolkit, 'tools'>): VersionDelta {
  const delta: VersionDelta = {};
  const newerBySlug = new Map(newer.tools.map((t) => [t.slug, t]));
  const olderSlugs = new Set<string>();
  for (const tool of older.tools) {
    olderSlugs.add(tool.slug);
    const now = newerBySlug.get(tool.slug);
    if (!now || toolHash(now) !== toolHash(tool)) delta[tool.slug] = tool;
  }
  for (const tool of newer.tools) if (!olderSlugs.has(tool.slug)) delta[tool.slug] = null;
  return delta;
}

/**
 * The version after `previous` for a change from `older` to `newer` tools: major when a tool was
 * removed or its call shape (input, http, output, pagination) changed, minor otherwise (tools added,
 * scopes, risk, records, ...).
 */
export function nextVersion(
  previous: string,
  older: Pick<Toolkit, 'tools'>,
  newer: Pick<Toolkit, 'tools'>,
): string {
  const parts = parseVersion(previous);
  if (!parts) throw new Error(`${previous} is not a version (major.minor.patch)`);
  const newerBySlug = new Map(newer.tools.map((t) => [t.slug, t]));
  const shape = [...CALL_SHAPE_FIELDS];
  const breaking = older.tools.some((tool) => {
    const now = newerBySlug.get(tool.slug);
    return !now || canonicalJson(contractOf(now, shape)) !== canonicalJson(contractOf(tool, shape));
  });
  const [major, minor] = parts;
  return breaking ? `${major + 1}.0.0` : `${major}.${minor + 1}.0`;
}

export function parseVersion(version: string): [number, number, number] | undefined {
  const m = /^(\d{1,6})\.(\d{1,6})\.(\d{1,6})$/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Negative when a is older than b. */
export function compareVersions(a: string, b: string): number {
  const [pa, pb] = [parseVersion(a), parseVersion(b)];
  if (!pa || !pb) return a < b ? -1 : a > b ? 1 : 0;
  return pa[0] - pb[0] || pa[1] - pb[1] || pa[2] - pb[2];
}

/**
 * The tools of `version`: the current tools with each superseded version's delta applied, newest to
 * oldest, down to the one asked for. Undefined when the version is not listed or its delta is missing.
 */
export function toolsAtVersion(
  current: Pick<Toolkit, 'tools'>,
  versions: readonly ToolkitVersion[],
  history: ToolkitHistory | undefined,
  version: string,
): ToolDefinition[] | undefined {
  const at = versions.findIndex((v) => v.version === version);
  if (at < 0) return undefined;
  const tools = new Map(current.tools.map((t) => [t.slug, t]));
  for (const step of versions.slice(1, at + 1)) {
    const delta = history?.versions[step.version]?.tools;
    if (!delta) return undefined;
    for (const [slug, tool] of Object.entries(delta)) {
      if (tool === null) tools.delete(slug);
      else tools.set(slug, tool);
    }
  }
  return [...tools.values()];
}
