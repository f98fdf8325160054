import type { FastifyRequest } from 'fastify';
import { GatehouseError } from '../../shared/errors.js';

const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/;

/** The acting agent, from `Gatehouse-Agent-Id` (the SDK's `agentId` option sets it). */
export function agentIdOf(request: FastifyRequest): string | null {
  const raw = request.headers['gatehouse-agent-id'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === '') return null;
  if (!AGENT_ID.test(value)) {
    throw new GatehouseError(
      'invalid_request',
      'Gatehouse-Agent-Id must be 1-128 characters of letters, digits and ._:@/-',
    );
  }
  return value;
}
