-- Agents are registered per project (agents/): the acting agent of a call comes from the credential,
-- not from a header the caller writes. An agent's credential is an api_keys row bound to it
-- (role runtime, agent_id set), so agent keys share the API keys' authentication, cache and
-- revocation. Deleting an agent disables it (disabled_at) and revokes its keys; its id is never
-- reused, so the audit trail keeps naming one agent.
CREATE TABLE agents (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  id text NOT NULL,
  name text,
  description text,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz,
  PRIMARY KEY (project_id, id)
);

ALTER TABLE api_keys ADD COLUMN agent_id text;
ALTER TABLE api_keys
  ADD CONSTRAINT api_keys_agent FOREIGN KEY (project_id, agent_id) REFERENCES agents (project_id, id) ON DELETE CASCADE;
-- An agent key acts; it never governs.
ALTER TABLE api_keys ADD CONSTRAINT api_keys_agent_is_runtime CHECK (agent_id IS NULL OR role = 'runtime');
CREATE INDEX api_keys_by_agent ON api_keys (project_id, agent_id) WHERE agent_id IS NOT NULL;

-- A per-user MCP URL minted with an agent key acts as that agent; deleting the agent revokes it.
ALTER TABLE mcp_user_sessions ADD COLUMN agent_id text;
ALTER TABLE mcp_user_sessions
  ADD CONSTRAINT mcp_user_sessions_agent FOREIGN KEY (project_id, agent_id) REFERENCES agents (project_id, id) ON DELETE CASCADE;
