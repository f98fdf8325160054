-- Whether a project's agents may use the raw proxy, and what one proxied call costs in budgets.
-- Projects that existed before keep the proxy they had; new projects get the instance's default
-- (on outside production, off in production), written when the project is created.
CREATE TABLE proxy_settings (
  project_id text PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
  enabled boolean NOT NULL,
  cost_units numeric NOT NULL DEFAULT 1 CHECK (cost_units >= 0),
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO proxy_settings (project_id, enabled) SELECT id, true FROM projects;
