import type { FastifyRequest } from 'fastify';
import { actingAgent } from '../../agents/acting-agent.js';
import { AGENT_ID_RULE, isAgentId } from '../../agents/agent-ids.js';
import type { ProjectPrincipal } from '../../projects/api-keys.js';
import { GatehouseError } from '../../shared/errors.js';
import { unwrap } from '../route.js';

/**
 * The acting agent of a call: the agent an agent key belongs to, or the one an admin key asserts
 * with `Gatehouse-Agent-Id` (the SDK's `agentId` option sets it). A runtime key naming an agent, or
 * an agent key naming another, is refused (agents/acting-agent.ts).
 */
export function agentIdOf(request: FastifyRequest, principal: ProjectPrincipal): string | null {
  return unwrap(actingAgent(principal, assertedAgentOf(request)));
}

function assertedAgentOf(request: FastifyRequest): string | null {
  const raw = request.headers['gatehouse-agent-id'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined || value === '') return null;
  if (!isAgentId(value))
    throw new GatehouseError('invalid_request', `Gatehouse-Agent-Id must be ${AGENT_ID_RULE}`);
  return value;
}
