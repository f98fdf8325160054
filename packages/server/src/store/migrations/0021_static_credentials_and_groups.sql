-- Organisation-owned connections: a connection may belong to a group (a team or workspace id in the
-- app); policy decides which requests may use it. Static credentials need no column: the kind lives
-- inside the vault-encrypted credentials blob, like OAuth tokens.
ALTER TABLE connected_accounts ADD COLUMN group_id text;
CREATE INDEX connected_accounts_by_group ON connected_accounts (project_id, group_id, provider_id)
  WHERE group_id IS NOT NULL;
ALTER TABLE connect_links ADD COLUMN group_id text;
