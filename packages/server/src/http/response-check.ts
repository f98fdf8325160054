import { Readable } from 'node:stream';
import { GatehouseError } from '../shared/errors.js';
import { isSchema } from './responses.js';
import type { AnyRoute, HttpResponse } from './route.js';

/** A handler's answer that its route's declared responses do not allow. */
export interface ResponseMismatch {
  route: string;
  status: number;
  problem: string;
}

/** Where mismatches go (tests collect them and fail); the answer itself becomes a loud 500. */
export type ResponseCheck = (mismatch: ResponseMismatch) => void;

/**
 * Checks an answer against the route's declared responses: the status must be declared, a JSON
 * body must match its schema as the client will read it (after JSON serialisation: dates become
 * strings, undefined fields vanish), and an empty response must have no body. On only in tests
 * (`buildApp`'s `checkResponses`), so production never pays for it and never fails on it.
 */
export function checkResponse(spec: AnyRoute, res: HttpResponse, report: ResponseCheck): void {
  const problem = problemOf(spec, res);
  if (problem === undefined) return;
  const mismatch = { route: `${spec.method} ${spec.url}`, status: res.status, problem };
  report(mismatch);
  throw new GatehouseError(
    'internal_error',
    `response does not match its declared schema (${mismatch.route} ${res.status}): ${problem}`,
  );
}

function problemOf(spec: AnyRoute, res: HttpResponse): string | undefined {
  const declared = spec.responses[res.status];
  if (!declared) return `status ${res.status} is not declared in responses`;
  if (!isSchema(declared)) {
    if (declared.kind === 'empty' && res.body !== undefined) return 'declared empty, but has a body';
    const raw = typeof res.body === 'string' || Buffer.isBuffer(res.body) || res.body instanceof Readable;
    if (declared.kind === 'text' && !raw)
      return `declared ${declared.contentType}, but the body is not a string, a buffer or a stream`;
    return undefined;
  }
  if (res.body === undefined) return 'declared a JSON body, but has none';
  const wire: unknown = JSON.parse(JSON.stringify(res.body));
  const parsed = declared.safeParse(wire);
  if (parsed.success) return undefined;
  return parsed.error.issues
    .slice(0, 5)
    .map((i) => `${['body', ...i.path.map(String)].join('.')}: ${i.message}`)
    .join('; ');
}
