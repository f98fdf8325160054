-- A project's pinned version of a shipped toolkit (PUT /v1/toolkits/{id}/pin): its catalog serves the
-- tools as they were at that version (catalog toolkits/versions/) until the pin is removed.
CREATE TABLE toolkit_pins (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  toolkit_id text NOT NULL,
  version text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (project_id, toolkit_id)
);
