-- Delegation (delegation/README.md): RFC 8693 token exchange with nested `act` chains.

-- Per project: how long exchanged tokens live, how deep a chain may nest, and which identity
-- providers' user tokens the token endpoint accepts as subject tokens.
CREATE TABLE delegation_settings (
  project_id text PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
  token_ttl_seconds integer NOT NULL,
  max_depth integer NOT NULL,
  trusted_issuers jsonb NOT NULL DEFAULT '[]',
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Public keys an agent signs its JWT assertions with (RFC 7523): a JWK, or a JWKS URL it serves.
CREATE TABLE agent_public_keys (
  id text PRIMARY KEY,
  project_id text NOT NULL,
  agent_id text NOT NULL,
  jwk jsonb,
  jwks_uri text,
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  FOREIGN KEY (project_id, agent_id) REFERENCES agents (project_id, id) ON DELETE CASCADE,
  CHECK ((jwk IS NULL) <> (jwks_uri IS NULL))
);
CREATE INDEX agent_public_keys_by_agent ON agent_public_keys (project_id, agent_id) WHERE revoked_at IS NULL;

-- Assertion ids seen, until the assertion would have expired anyway: a replay finds its row.
CREATE TABLE agent_assertion_jtis (
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  agent_id text NOT NULL,
  jti text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (project_id, agent_id, jti)
);
CREATE INDEX agent_assertion_jtis_expiry ON agent_assertion_jtis (expires_at);

-- The keys that sign a project's exchanged tokens: one active, retired ones still published
-- (JWKS) and accepted until every token they signed has expired.
CREATE TABLE delegation_signing_keys (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  public_jwk jsonb NOT NULL,
  private_key_ct text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);
CREATE UNIQUE INDEX delegation_signing_keys_one_active ON delegation_signing_keys (project_id) WHERE retired_at IS NULL;

-- The verified delegation chain of a call (the token's nested `act` claim); NULL when none.
-- Covered by the audit hash for rows that carry it (audit/chain.ts).
ALTER TABLE audit_events ADD COLUMN delegation jsonb;
