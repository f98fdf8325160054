-- MCP server profiles: which toolkits one MCP endpoint (`/mcp/{id}`) exposes and how end users sign
-- in at its authorization server. The login secret (OIDC client secret or hand-off HMAC key) is in the vault.
CREATE TABLE mcp_servers (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  name text NOT NULL,
  toolkits jsonb NOT NULL,
  login jsonb NOT NULL,
  login_secret_ct text,
  allowed_origins jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mcp_servers_by_project ON mcp_servers (project_id, id);

-- The key that signs a project's MCP access tokens (ES256); the private half only in the vault.
CREATE TABLE mcp_signing_keys (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  public_jwk jsonb NOT NULL,
  private_key_ct text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);
CREATE UNIQUE INDEX mcp_signing_keys_one_active ON mcp_signing_keys (project_id) WHERE retired_at IS NULL;

-- MCP clients registered dynamically (RFC 7591). Client ID Metadata Document clients are not stored.
CREATE TABLE mcp_clients (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  server_id text NOT NULL REFERENCES mcp_servers (id) ON DELETE CASCADE,
  metadata jsonb NOT NULL,
  secret_hash text,
  registered_from text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mcp_clients_by_source ON mcp_clients (project_id, server_id, registered_from, created_at);

-- A browser signed in at a server profile's authorization server (the cookie is stored hashed).
CREATE TABLE mcp_login_sessions (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  server_id text NOT NULL REFERENCES mcp_servers (id) ON DELETE CASCADE,
  browser_hash text NOT NULL,
  user_id text NOT NULL,
  method text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX mcp_login_sessions_per_browser ON mcp_login_sessions (project_id, server_id, browser_hash);

-- One sign-in in progress (OIDC state/nonce/PKCE, or a hand-off nonce), single use, bound to the browser.
CREATE TABLE mcp_login_attempts (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  server_id text NOT NULL REFERENCES mcp_servers (id) ON DELETE CASCADE,
  browser_hash text NOT NULL,
  state_hash text NOT NULL,
  nonce text,
  code_verifier_ct text,
  continue_to text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX mcp_login_attempts_by_state ON mcp_login_attempts (project_id, server_id, state_hash);

-- Authorization requests from MCP clients, then their authorization code (hashed, single use).
CREATE TABLE mcp_authorization_requests (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  server_id text NOT NULL REFERENCES mcp_servers (id) ON DELETE CASCADE,
  client_id text NOT NULL,
  redirect_uri text NOT NULL,
  state text,
  code_challenge text NOT NULL,
  scopes jsonb NOT NULL,
  resource text NOT NULL,
  prompt text,
  browser_hash text NOT NULL,
  csrf_hash text NOT NULL,
  status text NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'DENIED')),
  user_id text,
  code_hash text,
  code_expires_at timestamptz,
  code_used_at timestamptz,
  family_id text,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX mcp_authorization_codes ON mcp_authorization_requests (project_id, server_id, code_hash)
  WHERE code_hash IS NOT NULL;

-- What a user approved for one client. A different client never reads another client's row.
CREATE TABLE mcp_consents (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  server_id text NOT NULL REFERENCES mcp_servers (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  client_id text NOT NULL,
  scopes jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (project_id, server_id, user_id, client_id)
);

-- One grant: every access and refresh token descending from one authorization code.
CREATE TABLE mcp_token_families (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  server_id text NOT NULL REFERENCES mcp_servers (id) ON DELETE CASCADE,
  client_id text NOT NULL,
  user_id text NOT NULL,
  scopes jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_reason text
);
CREATE INDEX mcp_token_families_by_project ON mcp_token_families (project_id, id);

-- Rotating refresh tokens (hashed). Presenting a used one revokes its family.
CREATE TABLE mcp_refresh_tokens (
  token_hash text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  family_id text NOT NULL REFERENCES mcp_token_families (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mcp_refresh_tokens_by_family ON mcp_refresh_tokens (project_id, family_id);

-- Per-user MCP URLs for clients without OAuth: a bearer credential (hashed) naming one user.
CREATE TABLE mcp_user_sessions (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  server_id text REFERENCES mcp_servers (id) ON DELETE CASCADE,
  toolkits jsonb,
  credential_hash text NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mcp_user_sessions_by_project ON mcp_user_sessions (project_id, id);

-- Mcp-Session-Id: what a client declared at initialize (capabilities), so any replica can serve it.
CREATE TABLE mcp_protocol_sessions (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  endpoint text NOT NULL,
  user_id text NOT NULL,
  client_id text NOT NULL,
  protocol_version text NOT NULL,
  capabilities jsonb NOT NULL,
  client_info jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX mcp_protocol_sessions_expiry ON mcp_protocol_sessions (project_id, expires_at);

-- The Connect Link hook: a link created for an MCP tool call may only be completed by a browser
-- signed in at that server profile's authorization server as the link's user.
ALTER TABLE connect_links ADD COLUMN required_login text;
