-- Providers a project registered itself (same shape as the catalog's data files).
CREATE TABLE custom_providers (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  slug text NOT NULL,
  definition jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (project_id, slug)
);

-- A project's use of a provider: its OAuth client (secret in the vault), scopes and branding.
CREATE TABLE auth_configs (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  provider_id text NOT NULL,
  custom_provider_id text REFERENCES custom_providers (id),
  name text NOT NULL,
  client_id text NOT NULL,
  client_secret_ct text,
  settings jsonb NOT NULL DEFAULT '{}',
  default_scopes jsonb,
  allowed_scopes jsonb,
  branding jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX auth_configs_by_project ON auth_configs (project_id, id);

-- An end user's connection to one upstream account. Tokens live only in credentials_ct (vault).
CREATE TABLE connected_accounts (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  auth_config_id text NOT NULL REFERENCES auth_configs (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  provider_id text NOT NULL,
  label text,
  subject text,
  display_name text,
  status text NOT NULL CHECK (status IN ('INITIATED', 'ACTIVE', 'EXPIRED', 'REVOKED', 'FAILED')),
  status_reason text,
  scopes jsonb NOT NULL DEFAULT '[]',
  credentials_ct text,
  access_token_expires_at timestamptz,
  connection_config jsonb NOT NULL DEFAULT '{}',
  version integer NOT NULL DEFAULT 1,
  last_refreshed_at timestamptz,
  last_used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX connected_accounts_by_user ON connected_accounts (project_id, user_id, auth_config_id);
-- Reconnecting the same upstream account updates it instead of creating a duplicate.
CREATE UNIQUE INDEX connected_accounts_one_per_subject
  ON connected_accounts (project_id, auth_config_id, user_id, subject) WHERE subject IS NOT NULL;

-- Hosted, single-use, short-lived connect flows. Secrets (link key, state, browser binding) are hashed;
-- the PKCE verifier is encrypted.
CREATE TABLE connect_links (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  auth_config_id text NOT NULL REFERENCES auth_configs (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  scopes jsonb NOT NULL,
  label text,
  callback_url text,
  connected_account_id text,
  key_hash text NOT NULL,
  status text NOT NULL CHECK (status IN ('PENDING', 'OPENED', 'COMPLETED', 'FAILED', 'EXPIRED')),
  failure_code text,
  failure_message text,
  state_hash text,
  browser_hash text,
  code_verifier_ct text,
  state_used_at timestamptz,
  expires_at timestamptz NOT NULL,
  completed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX connect_links_by_project ON connect_links (project_id, id);
