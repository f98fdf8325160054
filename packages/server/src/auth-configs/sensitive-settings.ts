import type { ProviderDefinition } from '@gatehouse/catalog';
import type { AuthConfig } from './store.js';

/**
 * Settings a provider marks `sensitive` (Trello's app key, sent on every call) are write-only, for
 * every key, the admin's included, as the client secret is: an answer names the ones that hold a
 * value (`sensitiveSettings`) and never carries the value. Admins set or replace one by sending it;
 * a runtime key held by an agent could otherwise read it from `GET /v1/auth-configs`.
 */
export type AuthConfigView = AuthConfig & {
  /** The sensitive settings that hold a value; their values are never returned. */
  sensitiveSettings: string[];
};

const sensitiveNames = (definition: ProviderDefinition): Set<string> =>
  new Set(
    Object.entries(definition.settings)
      .filter(([, spec]) => spec.sensitive)
      .map(([name]) => name),
  );

/**
 * The config as callers may see it. Without its definition (a custom provider since deleted) no one
 * can tell which values are sensitive, so every value is withheld and only the names are listed.
 */
export function withoutSensitive(
  config: AuthConfig,
  definition: ProviderDefinition | undefined,
): AuthConfigView {
  const sensitive = definition ? sensitiveNames(definition) : new Set(Object.keys(config.settings));
  const settings: Record<string, string> = {};
  const withheld: string[] = [];
  for (const [name, value] of Object.entries(config.settings)) {
    if (sensitive.has(name)) withheld.push(name);
    else settings[name] = value;
  }
  return { ...config, settings, sensitiveSettings: withheld.sort() };
}

/**
 * A PATCH's settings: the map sent replaces the stored one, except that a sensitive value the caller
 * could not read and did not send is kept (sending `""` clears it). Otherwise any PATCH of settings
 * would have to repeat a value the API never shows.
 */
export function patchedSettings(
  current: Record<string, string>,
  sent: Record<string, string>,
  definition: ProviderDefinition,
): Record<string, string> {
  const sensitive = sensitiveNames(definition);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(current)) if (sensitive.has(name)) out[name] = value;
  for (const [name, value] of Object.entries(sent)) {
    if (sensitive.has(name) && value === '') delete out[name];
    else out[name] = value;
  }
  return out;
}
