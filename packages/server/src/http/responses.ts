import { z } from 'zod';

/**
 * What a route answers with one status. A zod schema is a JSON body (the common case, written
 * bare); `empty()` is no body (204, redirects); `text()` is a body of another media type (HTML
 * pages, CSV, Prometheus text, a stream) that is documented but not validated field by field.
 */
export type ResponseSpec = z.ZodType | EmptyResponse | TextResponse;
export interface EmptyResponse {
  kind: 'empty';
  description: string;
  /** Response headers worth documenting (`location` on a redirect). */
  headers?: readonly string[];
}
export interface TextResponse {
  kind: 'text';
  description: string;
  contentType: string;
}
export type Responses = Readonly<Partial<Record<number, ResponseSpec>>>;

export const empty = (description = 'No content', headers?: readonly string[]): EmptyResponse =>
  headers ? { kind: 'empty', description, headers } : { kind: 'empty', description };
export const text = (contentType: string, description: string): TextResponse => ({
  kind: 'text',
  description,
  contentType,
});
export const htmlPage = (description = 'An HTML page') => text('text/html', description);
export const redirect = (description = 'A redirect') => empty(description, ['location']);

/** A hosted page's answers: the page, its error pages at the given statuses, and redirects. */
export function pageResponses(errorStatuses: readonly number[], redirects = true): Responses {
  const out: Record<number, ResponseSpec> = { 200: htmlPage() };
  for (const status of errorStatuses) out[status] = htmlPage('An error page for the end user');
  if (redirects) out[303] = redirect('On to the next step (the provider, a sign-in, the app)');
  return out;
}

export const isSchema = (r: ResponseSpec): r is z.ZodType => '_zod' in r;

/**
 * Schemas that get a name in the OpenAPI document (`#/components/schemas/<id>`), and so a named
 * type in the SDK. Everything else is inlined where it is used.
 */
export const namedSchemas = new Map<string, z.ZodType>();

export function named<T extends z.ZodType>(id: string, schema: T, description?: string): T {
  if (namedSchemas.has(id)) throw new Error(`two schemas are named ${id}`);
  const described = description === undefined ? schema : (schema.meta({ description }) as T);
  namedSchemas.set(id, described);
  return described;
}

/** A date as JSON carries it (`Date` serialises to an ISO 8601 string in UTC). */
export const timestamp = z.iso.datetime({ offset: true });

/** Any JSON object (provider and toolkit definitions, tool input schemas, audit details). */
export const jsonObject = z.record(z.string(), z.unknown());

/** An expected failure: a code from the closed table in shared/errors.ts, a message, maybe details. */
export const failureSchema = named(
  'Failure',
  z.strictObject({
    code: z.string().meta({ description: 'A stable code from the error table', examples: ['not_found'] }),
    message: z.string(),
    details: jsonObject.optional(),
  }),
);

/** Every error the API answers. */
export const errorBodySchema = named(
  'ErrorBody',
  z.strictObject({ error: failureSchema }),
  'The body of every error answer.',
);

/** OAuth endpoints answer their protocol's error shape (RFC 6749 §5.2). */
export const oauthErrorSchema = named(
  'OAuthError',
  z.looseObject({ error: z.string(), error_description: z.string().optional() }),
);

/** A page of a list: the items and the cursor to pass back for the next page (null at the end). */
export const page = <T extends z.ZodType>(item: T) =>
  z.strictObject({ items: z.array(item), nextCursor: z.string().nullable() });
