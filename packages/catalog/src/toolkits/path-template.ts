/**
 * Tool paths such as `/repos/{owner}/{repo}/contents/{path+}`. `{name}` takes one argument as one
 * encoded path segment; `{name+}` (greedy, as in API Gateway's `{proxy+}`) takes a value with `/`
 * and encodes each of its segments, for APIs like GitHub contents that route on raw slashes.
 */
export type PathPart = { literal: string } | { arg: string; greedy: boolean };

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)(\+?)\}/g;

/** The parts of a path template, or the reason it is malformed (a stray or unknown brace). */
export function parsePathTemplate(path: string): PathPart[] | { error: string } {
  const parts: PathPart[] = [];
  let last = 0;
  for (const m of path.matchAll(PLACEHOLDER)) {
    parts.push({ literal: path.slice(last, m.index) });
    parts.push({ arg: m[1] ?? '', greedy: m[2] === '+' });
    last = m.index + m[0].length;
  }
  parts.push({ literal: path.slice(last) });
  const stray = parts.find((p) => 'literal' in p && /[{}]/.test(p.literal));
  if (stray) return { error: 'Malformed placeholder: use {name} or {name+} with an identifier' };
  return parts.filter((p) => !('literal' in p) || p.literal !== '');
}

export function pathArguments(path: string): string[] {
  return [...path.matchAll(PLACEHOLDER)].map((m) => m[1] ?? '');
}

/**
 * One value as path text. `.` and `..` are refused even when encoded: WHATWG URL parsing treats
 * `%2e%2e` as `..` too, so no encoding keeps them from climbing out of the template.
 */
export function encodePathValue(value: string, greedy: boolean): string | { error: string } {
  const segments = greedy ? value.split('/') : [value];
  for (const segment of segments) {
    if (segment === '')
      return { error: greedy ? 'must not contain empty path segments' : 'must not be empty' };
    if (segment === '.' || segment === '..') return { error: 'must not be a relative path segment' };
  }
  return segments.map(encodeSegment).join('/');
}

// encodeURIComponent leaves !'()* alone; they are legal in a segment, so only `*` would matter to
// some routers. Encoding it too keeps the segment opaque.
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/\*/g, '%2A');
}
