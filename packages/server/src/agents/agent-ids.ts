/**
 * The agent id format: what `Gatehouse-Agent-Id` has always accepted, and what `POST /v1/agents`
 * registers. Ids appear in audit rows, policies (`context.agent.id`) and limit counters.
 */
export const AGENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,127}$/;

export const AGENT_ID_RULE =
  '1-128 characters of letters, digits and ._:@/- (starting with a letter or digit)';

export const isAgentId = (value: string): boolean => AGENT_ID.test(value);
