-- Tamper-evident audit (audit/README.md): each row carries its project's sequence number, the hash
-- of its predecessor and its own hash = sha256(prev_hash || seq || '|' || canonical(row)).
-- Rows written before this migration keep seq/prev_hash/hash NULL: they are outside the chain.
ALTER TABLE audit_events
  ADD COLUMN seq bigint,
  ADD COLUMN prev_hash bytea,
  ADD COLUMN hash bytea;
CREATE UNIQUE INDEX audit_events_chain ON audit_events (project_id, seq) WHERE seq IS NOT NULL;

-- The head of each project's chain: the last seq, its hash and its predecessor's hash. Every audit insert updates it in the same
-- statement, so its row lock serialises the writers of one project (and only of that project).
CREATE TABLE audit_heads (
  project_id text PRIMARY KEY REFERENCES projects (id) ON DELETE CASCADE,
  seq bigint NOT NULL,
  hash bytea NOT NULL,
  prev_hash bytea NOT NULL
);
