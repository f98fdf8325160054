-- Connect Links bound to the intended user. With user verification on, a finished provider sign-in
-- is held on the link (tokens vault-encrypted in pending_ct) until the app confirms that its own
-- signed-in user is the link's user, with a single-use assertion (only its jti's hash is kept).
CREATE TABLE connect_settings (
  project_id text PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
  user_verification_enabled boolean NOT NULL DEFAULT false,
  verifier_url text,
  version integer NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (NOT user_verification_enabled OR verifier_url IS NOT NULL)
);

ALTER TABLE connect_links DROP CONSTRAINT connect_links_status_check;
ALTER TABLE connect_links ADD CONSTRAINT connect_links_status_check
  CHECK (status IN ('PENDING', 'OPENED', 'VERIFYING', 'COMPLETED', 'FAILED', 'EXPIRED'));
ALTER TABLE connect_links ADD COLUMN pending_ct text;
ALTER TABLE connect_links ADD COLUMN assertion_jti_hash text;
