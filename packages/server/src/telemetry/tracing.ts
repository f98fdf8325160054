import {
  type Attributes,
  context,
  type Span,
  SpanKind,
  SpanStatusCode,
  TraceFlags,
  trace,
} from '@opentelemetry/api';

/**
 * OpenTelemetry traces, off unless an OTLP endpoint is configured. Off, no span object is made at
 * all (the governed runner checks `tracingOn()` once per call). On, a governed call is one span
 * (`gatehouse tool.execute` / `gatehouse proxy.request`) whose parent is the HTTP request's span as
 * sent back in `traceparent`, with a child per pipeline step and one per upstream attempt.
 * The SDK (and its exporter) is loaded only when tracing is on.
 */
export interface TracingConfig {
  /** OTLP/HTTP traces endpoint, e.g. http://collector:4318/v1/traces. */
  endpoint: string | undefined;
  serviceName: string;
}

export interface Tracing {
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

const TRACER = 'gatehouse';
let on = false;

export const tracingOn = (): boolean => on;

export async function startTracing(config: TracingConfig): Promise<Tracing> {
  if (!config.endpoint) return { forceFlush: async () => {}, shutdown: async () => {} };
  const [{ NodeTracerProvider, BatchSpanProcessor }, { OTLPTraceExporter }, { resourceFromAttributes }] =
    await Promise.all([
      import('@opentelemetry/sdk-trace-node'),
      import('@opentelemetry/exporter-trace-otlp-http'),
      import('@opentelemetry/resources'),
    ]);
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: config.endpoint }))],
  });
  // Global, so the upstream client deep in a step finds the active span through the context.
  provider.register();
  on = true;
  return {
    forceFlush: () => provider.forceFlush(),
    shutdown: async () => {
      on = false;
      await provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}

/** The parent of a governed call's spans: the HTTP request's own span (its `traceparent`). */
export interface RemoteParent {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

/** Runs `fn` inside a new span; the span ends (with an error status if `fn` throws) when it settles. */
export function inSpan<T>(
  name: string,
  attributes: Attributes,
  fn: (span: Span) => Promise<T>,
  options: { parent?: RemoteParent | undefined; kind?: SpanKind } = {},
): Promise<T> {
  const tracer = trace.getTracer(TRACER);
  const parent = options.parent
    ? trace.setSpanContext(context.active(), {
        traceId: options.parent.traceId,
        spanId: options.parent.spanId,
        traceFlags: options.parent.sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
        isRemote: true,
      })
    : context.active();
  return tracer.startActiveSpan(
    name,
    { attributes, kind: options.kind ?? SpanKind.INTERNAL },
    parent,
    async (span) => {
      try {
        return await fn(span);
      } catch (e) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.message : 'error' });
        throw e;
      } finally {
        span.end();
      }
    },
  );
}

export { SpanKind, SpanStatusCode };
