import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { TasksScope } from '../scopes.js';
import type { Authentication, Caller } from './bearer.js';
import { type ApiReply, errorReply } from './reply.js';

/** What a route handler gets: the request, the URL, path parameters and two boundary helpers. */
export interface RouteContext {
  req: IncomingMessage;
  url: URL;
  params: readonly string[];
  authenticate(scope: TasksScope | null): Promise<Authentication>;
  /** the body parsed as JSON; a 400 reply when it is not JSON */
  readJson(): Promise<Parsed<unknown>>;
}

export interface Route {
  methods: readonly string[];
  /** matched against the path below the API base, e.g. `/tasks/task_123` */
  pattern: RegExp;
  run(ctx: RouteContext): Promise<ApiReply>;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reply: ApiReply };

export function publicRoute(
  methods: string | readonly string[],
  pattern: RegExp,
  handle: (ctx: RouteContext) => ApiReply | Promise<ApiReply>,
): Route {
  return {
    methods: typeof methods === 'string' ? [methods] : methods,
    pattern,
    run: async (ctx) => handle(ctx),
  };
}

/** A route that needs a valid access token for this API, and `scope` unless it is null. */
export function protectedRoute(
  method: string,
  pattern: RegExp,
  scope: TasksScope | null,
  handle: (ctx: RouteContext, caller: Caller) => ApiReply | Promise<ApiReply>,
): Route {
  return publicRoute(method, pattern, async (ctx) => {
    const auth = await ctx.authenticate(scope);
    return auth.ok ? handle(ctx, auth.caller) : auth.reply;
  });
}

/** Validates input against a schema; a 400 `invalid_request` reply describing the problem otherwise. */
export function parse<S extends z.ZodType>(schema: S, input: unknown): Parsed<z.output<S>> {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, reply: errorReply(400, 'invalid_request', z.prettifyError(result.error)) };
}
