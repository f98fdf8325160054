/**
 * Names in tool terms. operationIds become slug segments (`issues/list-for-repo` →
 * `issues.list_for_repo`, `listPets` → `list_pets`); parameter and property names become argument
 * identifiers (`filter[status]` → `filter_status`).
 */
export function slugFromOperationId(
  toolkitId: string,
  operationId: string,
  options: { separators: string; stripPrefix?: string | undefined },
): string {
  let id = operationId;
  if (options.stripPrefix !== undefined && id.startsWith(options.stripPrefix)) {
    id = id.slice(options.stripPrefix.length);
  }
  const separators = new RegExp(`[${escapeForClass(options.separators)}]`);
  const segments = id
    .split(separators)
    .map(snakeCase)
    .filter((s) => s !== '');
  return [toolkitId, ...segments].join('.');
}

function snakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** An identifier of at most 64 characters for a parameter or body property name. */
export function argumentName(name: string): string {
  const cleaned = name
    .split(/[^A-Za-z0-9_]+/)
    .filter((part) => part !== '')
    .join('_')
    .slice(0, 64);
  if (cleaned === '') return 'arg';
  return /^[0-9]/.test(cleaned) ? `_${cleaned}`.slice(0, 64) : cleaned;
}

/** The first of `candidates` not yet taken, or the last one with a number appended. */
export function freeName(candidates: readonly string[], taken: ReadonlySet<string>): string {
  for (const candidate of candidates) if (!taken.has(candidate)) return candidate;
  const last = candidates.at(-1) ?? 'arg';
  for (let n = 2; ; n++) {
    const numbered = `${last.slice(0, 60)}_${n}`;
    if (!taken.has(numbered)) return numbered;
  }
}

function escapeForClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&');
}
