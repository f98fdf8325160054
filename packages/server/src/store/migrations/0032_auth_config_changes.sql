-- Auth configs join the governance feed (0031): a replica caches each loaded config (its provider,
-- API base URL and OAuth client) for the execute path, so an operator's change made through another
-- replica (a rotated client secret, a new base URL, a deleted config) must reach it at commit, not
-- when its cache runs out. A custom provider's definition is part of every config built on it: its
-- change names the project (no id), which drops all of that project's configs.
CREATE TRIGGER auth_configs_governance AFTER UPDATE OR DELETE
  ON auth_configs FOR EACH ROW EXECUTE FUNCTION gatehouse_governance_changed('auth_config', 'id');
CREATE TRIGGER custom_providers_governance AFTER UPDATE OR DELETE
  ON custom_providers FOR EACH ROW EXECUTE FUNCTION gatehouse_governance_changed('auth_config');
