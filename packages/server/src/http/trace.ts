import { randomBytes } from 'node:crypto';

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
  const spanId = randomBytes(8).toString('hex');
  if (match && match[1] !== 'ff' && !/^0+$/.test(match[2]!) && !/^0+$/.test(match[3]!)) {
    return {
      traceId: match[2]!,
      spanId,
      parentSpanId: match[3]!,
      sampled: (Number.parseInt(match[4]!, 16) & 1) === 1,
    };
  }
  return { traceId: randomBytes(16).toString('hex'), spanId, parentSpanId: undefined, sampled: false };
}

export function traceparentOf(t: TraceContext): string {
  return `00-${t.traceId}-${t.spanId}-${t.sampled ? '01' : '00'}`;
}
