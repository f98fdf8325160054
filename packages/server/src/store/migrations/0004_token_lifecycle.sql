-- Token lifecycle (tokens/README.md): proactive refresh under leases, a refresh journal that
-- survives crashes, failure counting, and the idle-account health probe.
--   next_refresh_at      when the refresher should refresh (expiry - lead time - jitter, or a backoff);
--                        NULL = not scheduled yet (new or reconnected account): the refresher schedules it
--   refresh_lease_id     the attempt holding the lease; only its holder may write the refresh result
--   refresh_lease_until  lease expiry: after it, any replica may take the account over
--   refresh_journal_ct   vault ciphertext of the in-flight attempt (attempt id, replica, fingerprint of
--                        the refresh token presented), written and committed BEFORE the provider call
--   refresh_journal_at   when that attempt started (plain, so recovery can compare it to a reuse window)
--   refresh_failures     consecutive failed refreshes (reset by a success)
ALTER TABLE connected_accounts
  ADD COLUMN next_refresh_at timestamptz,
  ADD COLUMN refresh_lease_id text,
  ADD COLUMN refresh_lease_until timestamptz,
  ADD COLUMN refresh_journal_ct text,
  ADD COLUMN refresh_journal_at timestamptz,
  ADD COLUMN refresh_failures integer NOT NULL DEFAULT 0,
  ADD COLUMN health_checked_at timestamptz;
CREATE INDEX connected_accounts_refresh_due ON connected_accounts (next_refresh_at) WHERE status = 'ACTIVE';

-- Connection events (events/README.md): the log behind GET /v1/events and the webhook outbox.
-- Payloads never hold a token.
CREATE TABLE events (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  type text NOT NULL,
  connected_account_id text,
  user_id text,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_by_project ON events (project_id, id);
CREATE INDEX events_by_type ON events (project_id, type, id);

-- Webhook endpoints: the signing secret lives only in the vault (shown once at creation).
CREATE TABLE webhook_endpoints (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  url text NOT NULL,
  events jsonb,
  secret_ct text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_endpoints_by_project ON webhook_endpoints (project_id, id);

-- One row per (event, endpoint): the outbox a replica leases (SKIP LOCKED) and the delivery log.
CREATE TABLE webhook_deliveries (
  id text PRIMARY KEY,
  project_id text NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
  endpoint_id text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  event_type text NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz,
  last_status_code integer,
  last_error text,
  last_attempt_at timestamptz,
  delivered_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (project_id, endpoint_id, id);
