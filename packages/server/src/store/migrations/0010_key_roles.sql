-- A project API key carries a role (projects/key-roles.ts): `admin` manages the project and decides
-- approvals, `runtime` acts for an agent. Keys that exist before this migration keep doing
-- everything they did: they are admins.
ALTER TABLE api_keys
  ADD COLUMN role text NOT NULL DEFAULT 'admin' CHECK (role IN ('admin', 'runtime'));
