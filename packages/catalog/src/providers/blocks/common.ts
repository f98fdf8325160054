import { z } from 'zod';

const PLACEHOLDER = /\{\{(settings|connection)\.[A-Za-z_][A-Za-z0-9_]*\}\}/g;

/** An absolute http(s) URL, possibly with `{{settings.x}}` / `{{connection.x}}` placeholders. */
export function isUrlTemplate(value: string): boolean {
  // A leading placeholder stands for a whole base URL; any other stands for a plain segment.
  const probe = value.replace(/^\{\{[^}]*\}\}/, 'https://placeholder.invalid').replace(PLACEHOLDER, 'x');
  if (/\s/.test(probe) || !/^https?:\/\//i.test(probe) || !URL.canParse(probe)) return false;
  return new URL(probe).hostname !== '';
}

export const urlTemplate = (description: string) =>
  z.string().refine(isUrlTemplate, { message: 'Invalid URL' }).describe(description);

export const path = (description: string) =>
  z
    .string()
    .regex(/^\/\S*$/, { message: 'Must be a path starting with /' })
    .describe(description);

export const name = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'Must be an identifier ([A-Za-z_][A-Za-z0-9_]*)' });

export const headerName = z.string().regex(/^[A-Za-z0-9-]+$/, { message: 'Invalid header name' });

export const headers = (description: string) =>
  z.record(headerName, z.string()).default({}).describe(description);

export const httpMethod = z.enum(['GET', 'POST']);

/** A dotted path into a JSON document, e.g. `authed_user.access_token` or `0.id`. */
export const jsonPath = (description: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, { message: 'Must be a dotted path such as a.b.0.c' })
    .describe(description);

export const clientAuthMethod = z.enum(['client_secret_basic', 'client_secret_post', 'none']);

export const nonNegativeInt = z.number().int().nonnegative();
