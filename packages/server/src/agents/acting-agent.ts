import type { ProjectPrincipal } from '../projects/api-keys.js';
import { fail, ok, type Result } from '../shared/result.js';

/**
 * Who is acting, decided from the credential. An agent key names its agent, and a header that says
 * otherwise is refused. A plain runtime key has no agent and cannot claim one: identity written in a
 * header by the caller would let an agent dodge its own policies and limits by leaving it out or
 * changing it. An admin key may assert an agent (back-office tools, tests): the admin governs the
 * rules, so there is nothing to dodge.
 *
 * `asserted`: the agent the request names (`Gatehouse-Agent-Id`), or null.
 */
export function actingAgent(principal: ProjectPrincipal, asserted: string | null): Result<string | null> {
  if (principal.agentId !== null) {
    if (asserted !== null && asserted !== principal.agentId)
      return fail(
        'forbidden',
        `this key belongs to agent ${principal.agentId}; it cannot act as ${asserted}`,
        {
          agentId: principal.agentId,
        },
      );
    return ok(principal.agentId);
  }
  if (principal.role === 'admin') return ok(asserted);
  if (asserted !== null)
    return fail(
      'forbidden',
      'a runtime key cannot name an agent: agent identity comes from an agent key; register the agent with POST /v1/agents and use its key',
    );
  return ok(null);
}
