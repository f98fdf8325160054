-- Replicas cache governance state (store/governance-feed.ts): verified API keys, policy versions,
-- limit, proxy, connect and delegation settings, custom toolkits and pins, MCP server profiles, token
-- families, per-user URLs and protocol sessions. Every change a call could observe sends a NOTIFY
-- [kind, project, id] in the transaction that makes it, so every replica hears of it when (and only
-- if) it commits, whichever code path (or cascade, or operator's SQL) changed the row. The id is the
-- row's (TG_ARGV[1] names its column), null for a project's one settings row. An update that changes
-- only bookkeeping no cache holds (TG_ARGV[2..], e.g. api_keys.last_used_at) stays silent; compared
-- as JSON rather than listed in UPDATE OF, so the trigger depends on no column.
CREATE FUNCTION gatehouse_governance_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  r jsonb;
BEGIN
  IF TG_OP = 'DELETE' THEN r := to_jsonb(OLD); ELSE r := to_jsonb(NEW); END IF;
  IF TG_OP = 'UPDATE' AND TG_NARGS > 2
    AND (to_jsonb(OLD) - TG_ARGV[2:TG_NARGS - 1]) = (r - TG_ARGV[2:TG_NARGS - 1]) THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('gatehouse_governance', json_build_array(
    TG_ARGV[0],
    r ->> 'project_id',
    CASE WHEN TG_NARGS > 1 THEN r ->> TG_ARGV[1] END
  )::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER api_keys_governance AFTER UPDATE OR DELETE
  ON api_keys FOR EACH ROW EXECUTE FUNCTION gatehouse_governance_changed('api_key', 'id', 'last_used_at');
CREATE TRIGGER policy_versions_governance AFTER INSERT OR UPDATE OR DELETE
  ON policy_versions FOR EACH ROW EXECUTE FUNCTION gatehouse_governance_changed('policy', 'version');
CREATE TRIGGER limit_settings_governance AFTER INSERT OR UPDATE OR DELETE
  ON limit_settings FOR EACH ROW EXECUTE FUNCTION gatehouse_governance_changed('limits');
CREATE TRIGGER proxy_settings_governance AFTER INSERT OR UPDATE OR DELETE
  ON proxy_settings FOR EACH ROW EXECUTE FUNCTION gatehouse_governance_changed('proxy');
CREATE TRIGGER connect_settings_governance AFTER INSERT OR UPDATE OR DELETE
  ON connect_settings FOR EACH ROW EXECUTE FUNCTION gatehouse_governance_changed('connect');
CREATE TRIGGER delegation_settings_governance AFTER INSERT OR UPDATE OR DELETE
  ON delegation_settings FOR EACH ROW EXECUTE FUNCTION gatehouse_governance_changed('delegation');
CREATE TRIGGER custom_toolkits_governance AFTER INSERT OR UPDATE OR DELETE
  ON custom_toolkits FOR EACH ROW EXECUTE FUNCTION gatehouse_governance_changed('toolkit', 'toolkit_id');
CREATE TRIGGER toolkit_pins_governance AFTER INSERT OR UPDATE OR DELETE
  ON toolkit_pins FOR EACH ROW EXECUTE FUNCTION gatehouse_governance_changed('toolkit', 'toolkit_id');
CREATE TRIGGER mcp_servers_governance AFTER UPDATE OR DELETE
  ON mcp_servers FOR EACH ROW EXECUTE FUNCTION gatehouse_governance_changed('mcp_server', 'id');
CREATE TRIGGER mcp_token_families_governance AFTER UPDATE OR DELETE
  ON mcp_token_families FOR EACH ROW EXECUTE FUNCTION gatehouse_governance_changed('mcp_family', 'id');
CREATE TRIGGER mcp_user_sessions_governance AFTER UPDATE OR DELETE
  ON mcp_user_sessions FOR EACH ROW EXECUTE FUNCTION gatehouse_governance_changed('mcp_user_session', 'id');
-- The sweep of expired sessions stays silent: no replica serves an expired session from its cache.
CREATE TRIGGER mcp_protocol_sessions_governance AFTER DELETE
  ON mcp_protocol_sessions FOR EACH ROW WHEN (OLD.expires_at > now()) EXECUTE FUNCTION gatehouse_governance_changed('mcp_protocol_session', 'id');
