/**
 * Model APIs (OpenAI, Anthropic, ...) accept tool names matching `^[a-zA-Z0-9_-]{1,64}$`; Gatehouse
 * slugs have dots and may be up to 128 characters. `acme.tasks.create` becomes `acme_tasks_create`.
 * Since slugs may contain `_` too, `a.b_c` and `a_b.c` would both become `a_b_c`: such slugs, and
 * slugs too long to fit, get a short hash of the slug appended instead, so every name stays unique.
 * The rule depends only on the set of slugs, never on their order.
 */
export interface ToolNames {
  /** The model-facing name of a slug in the set. */
  nameOf(slug: string): string;
  /** The slug behind a model-facing name, or undefined for a name outside the set. */
  slugOf(name: string): string | undefined;
  /** slug → name, in the order the slugs were given. */
  readonly entries: ReadonlyArray<readonly [slug: string, name: string]>;
}

export const MAX_TOOL_NAME_LENGTH = 64;
const UNSAFE = /[^a-zA-Z0-9_-]/g;

export function modelToolNames(slugs: readonly string[]): ToolNames {
  const unique = [...new Set(slugs)];
  const plain = new Map(unique.map((slug) => [slug, slug.replace(UNSAFE, '_')]));
  const sharing = new Map<string, number>();
  for (const name of plain.values()) sharing.set(name, (sharing.get(name) ?? 0) + 1);

  const bySlug = new Map<string, string>();
  const byName = new Map<string, string>();
  for (const slug of unique) {
    const base = plain.get(slug)!;
    const fits = base.length > 0 && base.length <= MAX_TOOL_NAME_LENGTH && sharing.get(base) === 1;
    const name = fits ? base : `${base.slice(0, MAX_TOOL_NAME_LENGTH - 9)}_${fnv1a(slug)}`;
    const taken = byName.get(name);
    // Only reachable if a hashed name equals another slug's plain name: refuse rather than guess.
    if (taken !== undefined) throw new Error(`tool names collide: ${taken} and ${slug} both map to ${name}`);
    bySlug.set(slug, name);
    byName.set(name, slug);
  }
  return {
    nameOf(slug) {
      const name = bySlug.get(slug);
      if (name === undefined) throw new Error(`${slug} is not one of these tools`);
      return name;
    },
    slugOf: (name) => byName.get(name),
    entries: [...bySlug.entries()],
  };
}

/** 32-bit FNV-1a as 8 hex digits: stable across runs and runtimes, no crypto module needed. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
