import { isRecord } from '../toolkits/dotted-path.js';

/** Raised for input the importer cannot turn into a tool; `path` is where in the spec. */
export class ImportProblem extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The value a local `$ref` (`#/components/parameters/owner`) points to. JSON Pointer escapes (RFC
 * 6901 §4) and URI-fragment percent-encoding (§6) are undone. Remote references are not followed:
 * an import must not fetch anything.
 */
export function resolvePointer(spec: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) throw new ImportProblem(ref, 'Only local $refs (#/...) are supported');
  if (ref === '#') return spec;
  if (!ref.startsWith('#/')) throw new ImportProblem(ref, 'Not a JSON Pointer');
  let current = spec;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (isRecord(current) && Object.hasOwn(current, key)) current = current[key];
    else throw new ImportProblem(ref, 'Points to nothing');
  }
  return current;
}

/** Follows `$ref` chains on a parameter, request body or schema object, refusing loops. */
export function deref(spec: unknown, node: unknown, at: string): Record<string, unknown> {
  const seen = new Set<string>();
  let current = node;
  while (isRecord(current) && typeof current['$ref'] === 'string') {
    const ref = current['$ref'];
    if (seen.has(ref)) throw new ImportProblem(at, `$ref loop through ${ref}`);
    seen.add(ref);
    current = resolvePointer(spec, ref);
  }
  if (!isRecord(current)) throw new ImportProblem(at, 'Must be an object');
  return current;
}
