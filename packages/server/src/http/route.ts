import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ProjectPrincipal } from '../projects/api-keys.js';
import type { KeyRole } from '../projects/key-roles.js';
import { type ErrorCode, GatehouseError, isErrorCode } from '../shared/errors.js';
import type { Failure, Result } from '../shared/result.js';
import type { Authenticator } from './auth.js';
import { checkResponse, type ResponseCheck } from './response-check.js';
import type { Responses } from './responses.js';

/**
 * Who may call a route: a project API key of at least the named role (`project:admin`,
 * `project:runtime`), the instance's admin token (`admin`), or anyone (`none`). There is no bare
 * `project`: every project route must say which role it needs, so a new route cannot forget.
 * `project:runtime|delegated` also takes an exchanged delegation token (RFC 8693; delegation/):
 * only the doors an agent acts through for its user (execute, proxy) declare it.
 */
export type AuthKind = `project:${KeyRole}` | 'project:runtime|delegated' | 'admin' | 'none';
export type AdminPrincipal = { admin: true };
type PrincipalOf<A extends AuthKind> = A extends `project:${KeyRole}` | 'project:runtime|delegated'
  ? ProjectPrincipal
  : A extends 'admin'
    ? AdminPrincipal
    : undefined;

export interface HttpResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteContext<A extends AuthKind, B, Q, P> {
  principal: PrincipalOf<A>;
  body: B;
  query: Q;
  params: P;
  request: FastifyRequest;
  reply: FastifyReply;
}

/**
 * How a route words the errors of the boundary (bad JSON, bad characters, failed schemas): the
 * API's `{error: {code, message}}`, or OAuth's `{error, error_description}` (RFC 6749 §5.2) for
 * endpoints that OAuth clients call.
 */
export type ErrorFormat = 'api' | 'oauth';

declare module 'fastify' {
  interface FastifyContextConfig {
    errorFormat?: ErrorFormat;
    /** The route's declared caller, kept for the route table. */
    auth?: AuthKind;
    /** The statuses the route declares answers for, kept for the route table. */
    responses?: number[];
    /** Whether the route is in the API reference (see `RouteSpec.reference`). */
    reference?: boolean;
  }
}

/**
 * A route declares its method, path, who may call it, the zod schemas of its input and what it
 * answers per status. The same declaration validates requests, generates `/openapi.json` (and from
 * it the SDK's types) and, in tests, checks every answer the handler gives (response-check.ts).
 * Errors thrown to the error handler answer the shared `{error: {code, message}}` body and need
 * no entry; a status the handler returns itself (a 503 from /readyz, an OAuth error) does.
 */
export interface RouteSpec<A extends AuthKind = AuthKind, B = unknown, Q = unknown, P = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  url: string;
  auth: A;
  /** The OpenAPI operation id (and the SDK's operation name); derived from method and path when absent. */
  operationId?: string;
  /** One line for the API reference. */
  summary?: string;
  errorFormat?: ErrorFormat;
  /**
   * `false` leaves the route out of the API reference (`/openapi.json`, the SDK's types): pages only
   * a signed-in browser uses (the operator console), which no API client calls.
   */
  reference?: false;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  responses: Responses;
  handler(ctx: RouteContext<A, B, Q, P>): Promise<HttpResponse>;
}

/** Identity function that lets TypeScript infer the handler's input types from the schemas. */
export function defineRoute<A extends AuthKind, B = undefined, Q = undefined, P = undefined>(
  spec: RouteSpec<A, B, Q, P>,
): RouteSpec<A, B, Q, P> {
  return spec;
}

export const json = (body: unknown, status = 200): HttpResponse => ({ status, body });
export const noContent = (): HttpResponse => ({ status: 204 });

/** Returns the value of an expected-failure Result, or throws it for the error handler to render. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw toError(result.error);
}

export function toError(failure: Failure): GatehouseError {
  return failure.details === undefined
    ? new GatehouseError(failure.code, failure.message)
    : new GatehouseError(failure.code, failure.message, { details: failure.details });
}

// NUL never: PostgreSQL text and jsonb cannot hold it. Path and query values are ids, filters and
// cursors, where no control character makes sense; JSON strings may carry tab, LF and CR (text).
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_IN_URL = /[\u0000-\u001f\u007f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
const CONTROL_IN_BODY = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
// An unpaired UTF-16 surrogate has no UTF-8 form: PostgreSQL refuses it in jsonb.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const isBadText = (s: string, control: RegExp) => control.test(s) || LONE_SURROGATE.test(s);

/**
 * The path, as segments, of the first string (value or key) that is not acceptable text, if any.
 * Segments are made only on the way back from a bad string: every request's input is walked here.
 */
function badTextAt(value: unknown, control: RegExp): string[] | undefined {
  if (typeof value === 'string') return isBadText(value, control) ? [] : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = badTextAt(value[i], control);
      if (found) return [String(i), ...found];
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const k of Object.keys(record)) {
      if (isBadText(k, control)) return [JSON.stringify(k)];
      const found = badTextAt(record[k], control);
      if (found) return [k, ...found];
    }
  }
  return undefined;
}

/** Refuses input whose strings hold characters no field accepts, before any schema or handler sees it. */
export function checkText(request: { params: unknown; query: unknown; body: unknown }): void {
  const where = (part: 'params' | 'query' | 'body', control: RegExp) => {
    const found = badTextAt(request[part], control);
    return found && [part, ...found].join('.');
  };
  const at =
    where('params', CONTROL_IN_URL) ?? where('query', CONTROL_IN_URL) ?? where('body', CONTROL_IN_BODY);
  if (at)
    throw new GatehouseError(
      at === 'query.cursor' ? 'invalid_cursor' : 'invalid_request',
      `${at}: contains a NUL byte, a control character or an unpaired surrogate`,
      { details: { issues: [{ path: at, message: 'character not allowed' }] } },
    );
}

/** Parses one part of a request against its schema; a failure throws the API's `invalid_request`. */
export function parseInput<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  // A schema may name a more precise code for its failure (`invalid_cursor`) through issue params.
  const code =
    result.error.issues
      .map((i) => (i.code === 'custom' ? (i.params as { code?: unknown } | undefined)?.code : undefined))
      .find((c): c is ErrorCode => typeof c === 'string' && isErrorCode(c)) ?? 'invalid_request';
  throw new GatehouseError(code, issues.map((i) => `${i.path}: ${i.message}`).join('; '), {
    details: { issues },
  });
}

// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of routes; each is checked where it is defined.
export type AnyRoute = RouteSpec<any, any, any, any>;

export function registerRoutes(
  app: FastifyInstance,
  auth: Authenticator,
  routes: readonly AnyRoute[],
  responseCheck?: ResponseCheck,
): void {
  for (const spec of routes) {
    app.route({
      method: spec.method,
      url: spec.url,
      config: {
        errorFormat: spec.errorFormat ?? 'api',
        auth: spec.auth,
        responses: Object.keys(spec.responses).map(Number),
        reference: spec.reference !== false,
      },
      handler: async (request, reply) => {
        const principal = await auth.authenticate(spec.auth, request);
        checkText(request);
        const ctx = {
          principal,
          params: parseInput(spec.params, request.params, 'params'),
          query: parseInput(spec.query, request.query, 'query'),
          body: parseInput(spec.body, request.body, 'body'),
          request,
          reply,
        };
        const res = await spec.handler(ctx);
        if (responseCheck) checkResponse(spec, res, responseCheck);
        reply.code(res.status);
        if (res.headers) reply.headers(res.headers);
        return res.status === 204 ? reply.send() : reply.send(res.body);
      },
    });
  }
}
