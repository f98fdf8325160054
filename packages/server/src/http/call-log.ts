import type { FastifyRequest } from 'fastify';
import type { CallLog } from '../broker/types.js';

/** A fresh record of the governed call this request runs; the access log line names what it holds. */
export function callLogOf(request: FastifyRequest): CallLog {
  const log: CallLog = {};
  request.callLog = log;
  return log;
}

/** Milliseconds as logs and headers show them: to the microsecond. */
export const roundMs = (ms: number) => Math.round(ms * 1000) / 1000;

/** Gatehouse's own part of a governed call so far: `elapsedMs` less its wait on the provider's API. */
export function ownTimeMs(call: CallLog | null, elapsedMs: number): number | undefined {
  const upstreamMs = call?.upstreamMs;
  return upstreamMs === undefined ? undefined : Math.max(0, elapsedMs - upstreamMs);
}

/**
 * A governed call that reached the provider says where its time went (W3C Server-Timing): its wait on
 * the provider's API, and Gatehouse's own work so far (parsing, governance, the audit record).
 * Undefined when the provider was never called.
 */
export function serverTimingOf(call: CallLog | null, elapsedMs: number): string | undefined {
  const upstreamMs = call?.upstreamMs;
  const ownMs = ownTimeMs(call, elapsedMs);
  if (upstreamMs === undefined || ownMs === undefined) return undefined;
  return `upstream;dur=${roundMs(upstreamMs)};desc="provider API", gatehouse;dur=${roundMs(ownMs)}`;
}
