import type { FastifyRequest } from 'fastify';
import type { CallLog } from '../broker/types.js';

/** A fresh record of the governed call this request runs; the access log line names what it holds. */
export function callLogOf(request: FastifyRequest): CallLog {
  const log: CallLog = {};
  request.callLog = log;
  return log;
}
