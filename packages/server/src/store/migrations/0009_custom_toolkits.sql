-- Toolkits a project adds to the built-in catalog (PUT /v1/toolkits/{id}, or imported from OpenAPI).
-- `definition` is the validated toolkit (the same schema as the catalog's data files).
CREATE TABLE custom_toolkits (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  toolkit_id text NOT NULL,
  provider_id text NOT NULL,
  source text NOT NULL CHECK (source IN ('definition', 'openapi')),
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (project_id, toolkit_id)
);
