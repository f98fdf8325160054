import type { IncomingMessage } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { randomHex } from '../shared/ids.js';

export interface TraceContext {
  traceId: string;
  /** This request's span id; sent back in `traceparent` so callers can correlate. */
  spanId: string;
  parentSpanId: string | undefined;
  sampled: boolean;
}

// W3C Trace Context: version-traceid-parentid-flags; all-zero ids are invalid.
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export function traceFrom(header: string | string[] | undefined): TraceContext {
  const value = Array.isArray(header) ? header[0] : header;
  const match = value ? TRACEPARENT.exec(value.trim().toLowerCase()) : null;
  const spanId = randomHex(8);
  if (match && match[1] !== 'ff' && !/^0+$/.test(match[2]!) && !/^0+$/.test(match[3]!)) {
    return {
      traceId: match[2]!,
      spanId,
      parentSpanId: match[3]!,
      sampled: (Number.parseInt(match[4]!, 16) & 1) === 1,
    };
  }
  return { traceId: randomHex(16), spanId, parentSpanId: undefined, sampled: false };
}

/** What a governed call needs to hang its trace spans under this request's span. */
export function spanOf(t: TraceContext): { spanId: string; sampled: boolean } {
  return { spanId: t.spanId, sampled: t.parentSpanId === undefined || t.sampled };
}

export function traceparentOf(t: TraceContext): string {
  return `00-${t.traceId}-${t.spanId}-${t.sampled ? '01' : '00'}`;
}

/**
 * One trace context per HTTP request, made when Fastify names the request. Its span id is the
 * request id: `x-request-id`, the span in the `traceparent` sent back, and `request_id` next to
 * `trace_id` in every line `request.log` writes (the error handler's included).
 */
export function requestTracing() {
  const traces = new WeakMap<IncomingMessage, TraceContext>();
  const traceOf = (raw: IncomingMessage): TraceContext => {
    let trace = traces.get(raw);
    if (!trace) {
      trace = traceFrom(raw.headers.traceparent);
      traces.set(raw, trace);
    }
    return trace;
  };
  const childLoggerFactory = (
    logger: FastifyBaseLogger,
    bindings: Record<string, unknown>,
    opts: Parameters<FastifyBaseLogger['child']>[1],
    raw: IncomingMessage,
  ): FastifyBaseLogger =>
    new LazyLogger(() => logger.child({ ...bindings, trace_id: traceOf(raw).traceId }, opts));
  return { traceOf, genReqId: (raw: IncomingMessage) => traceOf(raw).spanId, childLoggerFactory };
}

/**
 * A request's logger, made when something first logs through it. Most requests never do (their
 * access line has its own logger), and a pino child serialises and redacts its bindings when made:
 * a measurable share of a call's CPU, per request, for nothing.
 *
 * A class, not an object literal: V8 allocates a literal's `get`/`set` pair in old space, so each
 * request's pair kept this closure, and the whole request it captured, alive through every young
 * collection until a full one (a bare GET /healthz promoted ~2.4 KB per request, execute ~8.6 KB
 * where ~6.5 KB remain; the scavenges then took 2-4 ms). Prototype accessors hold nothing per request.
 */
class LazyLogger implements FastifyBaseLogger {
  #make: (() => FastifyBaseLogger) | undefined;
  #made: FastifyBaseLogger | undefined;

  constructor(make: () => FastifyBaseLogger) {
    this.#make = make;
  }

  #real(): FastifyBaseLogger {
    if (!this.#made) {
      this.#made = this.#make!();
      this.#make = undefined;
    }
    return this.#made;
  }

  get level(): string {
    return this.#real().level;
  }
  set level(level: string) {
    this.#real().level = level;
  }
  fatal(...args: Parameters<FastifyBaseLogger['fatal']>) {
    return this.#real().fatal(...args);
  }
  error(...args: Parameters<FastifyBaseLogger['error']>) {
    return this.#real().error(...args);
  }
  warn(...args: Parameters<FastifyBaseLogger['warn']>) {
    return this.#real().warn(...args);
  }
  info(...args: Parameters<FastifyBaseLogger['info']>) {
    return this.#real().info(...args);
  }
  debug(...args: Parameters<FastifyBaseLogger['debug']>) {
    return this.#real().debug(...args);
  }
  trace(...args: Parameters<FastifyBaseLogger['trace']>) {
    return this.#real().trace(...args);
  }
  silent(...args: Parameters<FastifyBaseLogger['silent']>) {
    return this.#real().silent(...args);
  }
  child(...args: Parameters<FastifyBaseLogger['child']>) {
    return this.#real().child(...args);
  }
}
