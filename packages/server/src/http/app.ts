import { createRequire } from 'node:module';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { CallLog } from '../broker/types.js';
import type { Runtime } from '../runtime.js';
import { createAccessLogger } from '../telemetry/logger.js';
import { Authenticator } from './auth.js';
import { ownTimeMs, roundMs, serverTimingOf } from './call-log.js';
import { errorBody, handleError } from './errors.js';
import { jsonWithDepthLimit } from './json-body.js';
import { buildOpenApiDocument, type OpenApiDocument } from './openapi/document.js';
import type { ResponseMismatch } from './response-check.js';
import { type AnyRoute, type AuthKind, registerRoutes } from './route.js';
import { docsRoutes } from './routes/docs.js';
import { hostedPageRoutes, routes } from './routes/index.js';
import { requestTracing, type TraceContext, traceparentOf } from './trace.js';

declare module 'fastify' {
  interface FastifyRequest {
    trace: TraceContext;
    /** Set by routes that run a governed call: the runner fills it, the access log line names it. */
    callLog: CallLog | null;
  }
  interface FastifyInstance {
    /** Every route as registered (method, URL pattern, declared caller), for tests that must cover them all. */
    routeTable: ReadonlyArray<RouteTableEntry>;
    /** Answers that broke their route's declared responses (only collected with `checkResponses`). */
    responseMismatches: readonly ResponseMismatch[];
  }
}

export interface RouteTableEntry {
  method: string;
  url: string;
  auth: AuthKind | undefined;
  /** The statuses the route declares answers for (its `responses`). */
  responses: number[];
  /** In the API reference (`/openapi.json`); console pages are not. */
  reference: boolean;
}

export interface AppOptions {
  /**
   * Validate every answer a handler gives against its route's declared responses, and turn a
   * mismatch into a 500 that names it. The test support turns this on; production leaves it off.
   */
  checkResponses?: boolean;
}

// The version the reference shows: the server package's.
const VERSION = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** Builds the HTTP surface over a runtime. Domain decisions live in the runtime's services, not here. */
export async function buildApp(
  rt: Runtime,
  extraRoutes: readonly AnyRoute[] = [],
  options: AppOptions = {},
): Promise<FastifyInstance> {
  const tracing = requestTracing();
  const accessLog = createAccessLogger(rt.log);
  const app = Fastify({
    loggerInstance: rt.log as FastifyBaseLogger,
    // One access-log line per request is written by our onResponse hook (with trace and project ids).
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    bodyLimit: rt.config.bodyLimitBytes,
    trustProxy: false,
    genReqId: tracing.genReqId,
    childLoggerFactory: tracing.childLoggerFactory,
    routerOptions: { ignoreTrailingSlash: true },
    // Router failures (a malformed %-escape in the path) answer in the API's error shape too.
    frameworkErrors: (err, request, reply) => handleError(err, request, reply),
  });

  const routeTable: RouteTableEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat())
      routeTable.push({
        method,
        url: route.url ?? route.path,
        auth: route.config?.auth,
        responses: route.config?.responses ?? [],
        reference: route.config?.reference ?? true,
      });
  });
  app.decorateRequest('trace', null as unknown as TraceContext);
  app.decorateRequest('callLog', null);
  // Both hooks are synchronous (callback style): an async hook costs every request a promise and a turn.
  app.addHook('onRequest', (request, reply, done) => {
    request.trace = tracing.traceOf(request.raw);
    reply.header('traceparent', traceparentOf(request.trace));
    reply.header('x-request-id', request.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', 'no-store');
    done();
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    const timing = serverTimingOf(request.callLog, reply.elapsedTime);
    if (timing) reply.header('server-timing', timing);
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const status = String(reply.statusCode);
    const seconds = reply.elapsedTime / 1000;
    rt.metrics.httpRequests.inc({ method: request.method, route, status });
    rt.metrics.httpDuration.observe({ method: request.method, route, status }, seconds);
    const ownMs = ownTimeMs(request.callLog, reply.elapsedTime);
    if (ownMs !== undefined) rt.metrics.callOwnDuration.observe({ route }, ownMs / 1000);
    if (route === '/healthz' || route === '/readyz' || route === '/metrics') return done();
    accessLog.info(
      {
        trace_id: request.trace.traceId,
        request_id: request.id, // this request's span id, as in x-request-id and traceparent
        project_id: request.projectId ?? null,
        method: request.method,
        route,
        status: reply.statusCode,
        duration_ms: roundMs(reply.elapsedTime),
        ...callFields(request.callLog),
      },
      'request',
    );
    done();
  });

  // JSON for the API (nesting bounded), urlencoded forms only for the hosted pages and OAuth
  // endpoints (registered with them below); nothing else is parsed (415).
  app.removeContentTypeParser('text/plain');
  jsonWithDepthLimit(app, rt.config.bodyLimitBytes);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    reply
      .code(404)
      .send(errorBody('not_found', `no route for ${request.method} ${request.url.split('?')[0]}`));
  });

  const mismatches: ResponseMismatch[] = [];
  app.decorate('responseMismatches', mismatches);
  const check = options.checkResponses
    ? (m: ResponseMismatch) => {
        mismatches.push(m);
        rt.log.error({ mismatch: m }, 'response does not match its declared schema');
        // Loud where the test runner shows it, even when the test itself only looks at part of the answer.
        process.stderr.write(`[gatehouse] ${m.route} answered ${m.status} off its schema: ${m.problem}\n`);
      }
    : undefined;

  const auth = new Authenticator(rt.apiKeys, rt.adminToken, {
    apiAudience: rt.delegation.apiAudience,
    verify: (token, audience) => rt.delegation.verify(token, audience),
  });
  const api = [...routes(rt), ...extraRoutes];
  const pages = hostedPageRoutes(rt);
  let document: OpenApiDocument | undefined;
  const docs = docsRoutes(() => {
    document ??= buildOpenApiDocument(
      { api: [...api, ...docs], pages: pages.filter((r) => r.reference !== false) },
      VERSION,
    );
    return document;
  });
  registerRoutes(app, auth, [...api, ...docs], check);
  // Cookies matter only to the hosted pages (browser binding); the API's hot path skips parsing them.
  await app.register(async (scope) => {
    await scope.register(cookie);
    await scope.register(formbody, { bodyLimit: rt.config.bodyLimitBytes });
    registerRoutes(scope, auth, pages, check);
  });
  return app;
}

/** The governed call a request ran (execute, proxy, an MCP tool call), as access-log fields. */
function callFields(call: CallLog | null): Record<string, string | number | null> | undefined {
  if (!call?.executionId) return undefined;
  return {
    execution_id: call.executionId,
    user_id: call.userId ?? null,
    agent_id: call.agentId ?? null,
    tool: call.tool ?? null,
    outcome: call.outcome ?? null,
    upstream_ms: call.upstreamMs === undefined ? null : roundMs(call.upstreamMs),
  };
}
