-- Replicas cache connected accounts (accounts/account-cache.ts). Every change a call could observe
-- sends a NOTIFY in the transaction that makes it, so it reaches the other replicas when (and only
-- if) it commits, whichever code path (or cascade, or operator's SQL) changed the row. Bookkeeping
-- that no call reads from the cache (leases, journal, schedule, last_used_at, health probe) is not
-- in the column list, so the refresher's claims and the batched last_used_at flush stay silent.
CREATE FUNCTION gatehouse_account_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r connected_accounts;
  payload text;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  payload := json_build_array(r.project_id, r.id, r.user_id, r.provider_id)::text;
  -- NOTIFY payloads stop at 8000 bytes: an oversized key names only the account (the listener then
  -- drops the project's lists as well).
  IF octet_length(payload) > 7000 THEN
    payload := json_build_array(r.project_id, r.id)::text;
  END IF;
  PERFORM pg_notify('gatehouse_accounts', payload);
  RETURN NULL;
END
$$;

CREATE TRIGGER connected_accounts_changed
  AFTER INSERT OR DELETE OR UPDATE OF status, status_reason, credentials_ct, access_token_expires_at, scopes,
    version, label, subject, display_name, connection_config, auth_config_id, user_id, provider_id,
    last_refreshed_at
  ON connected_accounts FOR EACH ROW EXECUTE FUNCTION gatehouse_account_changed();
