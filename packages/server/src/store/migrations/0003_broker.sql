-- One row per tool execution or proxied request: who, what, with which account, and how it went.
-- Append-only: a trigger refuses updates and deletes. Never holds a token or a sensitive argument.
CREATE TABLE audit_events (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL,
  execution_id text NOT NULL,
  user_id text,
  agent_id text,
  tool_slug text,
  provider_id text,
  connected_account_id text,
  outcome text NOT NULL,
  error_code text,
  upstream_status integer,
  latency_ms double precision NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  trace_id text,
  detail jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_by_project ON audit_events (project_id, id);
CREATE INDEX audit_events_by_user ON audit_events (project_id, user_id, id);

CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();

-- Idempotency: the first result for (project, user, key) is kept (encrypted) and replayed.
CREATE TABLE idempotency_keys (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  key text NOT NULL,
  request_hash text NOT NULL,
  execution_id text NOT NULL,
  state text NOT NULL CHECK (state IN ('in_progress', 'completed')),
  result_ct text,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (project_id, user_id, key)
);
