/**
 * Dotted paths into JSON (`data.items`, `user.login`, `0.id`). Only own properties are followed, so a
 * path such as `constructor` or `__proto__` finds nothing instead of reaching Object.prototype.
 */
export function splitPath(path: string): string[] {
  return path.split('.');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value at `path`; numeric segments index arrays. */
export function getPath(value: unknown, path: string): unknown {
  let current = value;
  for (const key of splitPath(path)) {
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (isRecord(current) && Object.hasOwn(current, key)) current = current[key];
    else return undefined;
  }
  return current;
}

/** Sets `path` in a plain-object tree, creating objects on the way. Returns false on a conflict. */
export function setPath(target: Record<string, unknown>, path: string, value: unknown): boolean {
  const keys = splitPath(path);
  let current = target;
  for (const key of keys.slice(0, -1)) {
    const next = Object.hasOwn(current, key) ? current[key] : undefined;
    if (next === undefined) {
      const created: Record<string, unknown> = {};
      defineValue(current, key, created);
      current = created;
    } else if (isRecord(next)) {
      current = next;
    } else {
      return false;
    }
  }
  defineValue(current, keys.at(-1) ?? '', value);
  return true;
}

/** Removes `path` and then every parent object the removal left empty. */
export function deletePath(target: Record<string, unknown>, path: string): void {
  const keys = splitPath(path);
  const parents: Record<string, unknown>[] = [target];
  for (const key of keys.slice(0, -1)) {
    const next = parents.at(-1)?.[key];
    if (!isRecord(next) || !Object.hasOwn(parents.at(-1) ?? {}, key)) return;
    parents.push(next);
  }
  for (let i = keys.length - 1; i >= 0; i--) {
    const parent = parents[i];
    const key = keys[i];
    if (parent === undefined || key === undefined) return;
    delete parent[key];
    if (i > 0 && Object.keys(parent).length > 0) return;
  }
}

/** Plain assignment of `__proto__` would set the prototype instead of creating a key. */
export function defineValue(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
