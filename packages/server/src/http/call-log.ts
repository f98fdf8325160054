import type { FastifyRequest } from 'fastify';
import type { CallLog } from '../broker/types.js';

/** A fresh record of the governed call this request runs; the access log line names what it holds. */
export function callLogOf(request: FastifyRequest): CallLog {
  const log: CallLog = {};
  request.callLog = log;
  return log;
}

const round3 = (ms: number) => Math.round(ms * 1000) / 1000;

/**
 * A governed call that reached the provider says where its time went (W3C Server-Timing): its wait on
 * the provider's API, and Gatehouse's own work so far (`elapsedMs` less that wait: parsing, governance,
 * the audit record). Undefined when the provider was never called.
 */
export function serverTimingOf(call: CallLog | null, elapsedMs: number): string | undefined {
  const upstreamMs = call?.upstreamMs;
  if (upstreamMs === undefined) return undefined;
  const ownMs = Math.max(0, elapsedMs - upstreamMs);
  return `upstream;dur=${round3(upstreamMs)};desc="provider API", gatehouse;dur=${round3(ownMs)}`;
}
