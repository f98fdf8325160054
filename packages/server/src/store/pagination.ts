import { z } from 'zod';

/** Cursor pagination over time-sortable ids, newest first. The cursor is the last id, base64url-wrapped. */

const CURSOR_ID = /^[a-z]+_[0-9a-z]+$/;

/** The id a cursor this API issued wraps, or undefined when the text is not such a cursor. */
export function cursorId(cursor: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return undefined;
  const id = Buffer.from(cursor, 'base64url').toString('utf8');
  return CURSOR_ID.test(id) ? id : undefined;
}

/** The refinement options that make a failed cursor check answer `invalid_cursor` (400). */
export const INVALID_CURSOR = {
  message: 'not a cursor this API issued (pass back a nextCursor unchanged)',
  params: { code: 'invalid_cursor' },
};

/** Schema of a `?cursor=`: a malformed one is refused with the `invalid_cursor` code. */
export const cursorSchema = z.string().refine((c) => cursorId(c) !== undefined, INVALID_CURSOR);

export const pageQuerySchema = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: cursorSchema.optional(),
};

export interface Page {
  limit: number;
  cursor?: string | undefined;
}

export interface PageResult<T> {
  items: T[];
  nextCursor: string | null;
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  // The routes refuse malformed cursors; any that still arrives matches nothing: every id sorts
  // after the empty string in every collation (a NUL byte, by contrast, is not valid UTF-8 text).
  return cursorId(cursor) ?? '';
}

export const encodeCursor = (id: string): string => Buffer.from(id).toString('base64url');

export function toPage<R extends { id: string }, T>(
  rows: R[],
  limit: number,
  map: (r: R) => T,
): PageResult<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(map),
    nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null,
  };
}
