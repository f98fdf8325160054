-- Governance: Cedar policies (versioned), human approvals, rate limits and budgets.

-- Every change to a project's policies is a new immutable version; the highest one is in force.
CREATE TABLE policy_versions (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  version integer NOT NULL,
  document jsonb NOT NULL,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, version)
);

-- A call a policy said needs a human's approval, bound to the exact tool, arguments and account
-- (request_hash). The arguments are kept encrypted (vault) for the approver to read. The hosted
-- page's key is stored hashed. Status moves pending -> approved | denied, approved -> executing ->
-- executed (or back to approved when the call stopped before reaching the upstream).
CREATE TABLE approvals (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  agent_id text,
  tool_slug text NOT NULL,
  connected_account_id text NOT NULL,
  request_hash text NOT NULL,
  arguments_ct text NOT NULL,
  policies jsonb NOT NULL DEFAULT '[]',
  status text NOT NULL CHECK (status IN ('pending', 'approved', 'denied', 'executing', 'executed')),
  key_hash text NOT NULL,
  decided_by jsonb,
  decided_at timestamptz,
  execution_id text,
  executed_at timestamptz,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX approvals_by_project ON approvals (project_id, id);

-- Rate-limit rules and budgets per project (one row; version bumps on every change).
CREATE TABLE limit_settings (
  project_id text PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
  config jsonb NOT NULL,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Fixed-window counters (when Redis is not configured): one row per key and window.
CREATE TABLE limit_counters (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  key text NOT NULL,
  window_end timestamptz NOT NULL,
  used double precision NOT NULL,
  PRIMARY KEY (project_id, key, window_end)
);
CREATE INDEX limit_counters_expiry ON limit_counters (window_end);
