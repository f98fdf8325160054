import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { ProjectPrincipal } from '../projects/api-keys.js';
import { GatehouseError } from '../shared/errors.js';
import type { Failure, Result } from '../shared/result.js';
import type { Authenticator } from './auth.js';

export type AuthKind = 'project' | 'admin' | 'none';
export type AdminPrincipal = { admin: true };
type PrincipalOf<A extends AuthKind> = A extends 'project'
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

/** A route declares its method, path, who may call it and the zod schemas of its input. */
export interface RouteSpec<A extends AuthKind = AuthKind, B = unknown, Q = unknown, P = unknown> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  url: string;
  auth: A;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
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

function parse<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw new GatehouseError('invalid_request', issues.map((i) => `${i.path}: ${i.message}`).join('; '), {
    details: { issues },
  });
}

// biome-ignore lint/suspicious/noExplicitAny: a heterogeneous list of routes; each is checked where it is defined.
export type AnyRoute = RouteSpec<any, any, any, any>;

export function registerRoutes(app: FastifyInstance, auth: Authenticator, routes: readonly AnyRoute[]): void {
  for (const spec of routes) {
    app.route({
      method: spec.method,
      url: spec.url,
      handler: async (request, reply) => {
        const principal = await auth.authenticate(spec.auth, request);
        const ctx = {
          principal,
          params: parse(spec.params, request.params, 'params'),
          query: parse(spec.query, request.query, 'query'),
          body: parse(spec.body, request.body, 'body'),
          request,
          reply,
        };
        const res = await spec.handler(ctx);
        // A handler that took over the raw response (the MCP transport, via reply.hijack()) has answered.
        if (reply.sent) return;
        reply.code(res.status);
        if (res.headers) reply.headers(res.headers);
        return res.status === 204 ? reply.send() : reply.send(res.body);
      },
    });
  }
}
