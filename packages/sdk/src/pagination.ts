import type { Page } from './types.js';

/**
 * Every item of a listing, page by page, as the caller consumes them (`for await`): `list` with
 * each `nextCursor` passed back unchanged until there is none.
 */
export async function* paginate<T, Q extends object>(
  list: (q: Q & { cursor?: string }) => Promise<Page<T>>,
  query: Q,
): AsyncGenerator<T, void, undefined> {
  let q: Q & { cursor?: string } = query;
  for (;;) {
    const page = await list(q);
    yield* page.items;
    if (!page.nextCursor || page.nextCursor === q.cursor) return;
    q = { ...q, cursor: page.nextCursor };
  }
}

/** Collects an async iterable into an array (a convenience for small listings). */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

export const seg = (id: string | number) => encodeURIComponent(String(id));
