-- Operator console sessions (console/sessions.ts). The cookie holds a random token; only its
-- SHA-256 is stored, with the project, who signed in, how, and the role the session acts with.
-- The CSRF token is per session (synchroniser token) and echoed by every form.
CREATE TABLE console_sessions (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  operator text NOT NULL,
  operator_name text NOT NULL,
  method text NOT NULL CHECK (method IN ('admin_token', 'api_key', 'oidc')),
  api_key_id text,
  role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  csrf text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);

-- Operators who sign in with single sign-on: their role per project, keyed by issuer and subject
-- (or e-mail, as the identity provider asserts it). No row, no access.
CREATE TABLE console_operators (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  issuer text NOT NULL,
  subject text NOT NULL,
  role text NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (issuer, subject, project_id)
);

-- End-user self-service links are single use: the first open spends the assertion's jti.
CREATE TABLE self_service_links_used (
  jti text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL
);
