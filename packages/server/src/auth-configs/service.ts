import type { OAuthClient } from '../providers/oauth-client.js';
import {
  findDefinition,
  type ProviderSource,
  type ResolvedProvider,
  resolveProvider,
} from '../providers/resolve.js';
import { newId } from '../shared/ids.js';
import { fail, ok, type Result } from '../shared/result.js';
import { CommittedCache } from '../store/committed-cache.js';
import type { Db } from '../store/db.js';
import type { GovernanceFeed } from '../store/governance-feed.js';
import type { Page, PageResult } from '../store/pagination.js';
import type { Vault } from '../vault/vault.js';
import { type AuthConfigView, patchedSettings, withoutSensitive } from './sensitive-settings.js';
import type { AuthConfig, AuthConfigStore, Branding } from './store.js';

export interface AuthConfigInput {
  providerId: string;
  name?: string | undefined;
  /** The OAuth client; absent for providers with static credentials (API key, basic, bearer). */
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  settings?: Record<string, string> | undefined;
  defaultScopes?: string[] | null | undefined;
  allowedScopes?: string[] | null | undefined;
  branding?: Branding | undefined;
}

export type AuthConfigPatch = Omit<AuthConfigInput, 'providerId'>;

const secretBinding = (id: string) => ({ table: 'auth_configs', rowId: id, purpose: 'client_secret' });

/**
 * Auth configs: a project's use of a provider, with its OAuth client for OAuth providers (the client
 * secret lives only in the vault). Providers with static credentials need no client: each user's key
 * is their connected account's credential.
 */
export type LoadedAuthConfig = { config: AuthConfig; provider: ResolvedProvider; client: OAuthClient };

export class AuthConfigService {
  // The execute hot path loads the same config on every call; changes made here drop the entry once
  // they commit (a rolled-back or uncommitted config is never kept).
  private readonly loaded: CommittedCache<LoadedAuthConfig>;

  constructor(
    private readonly store: AuthConfigStore,
    private readonly vault: Vault,
    private readonly providers: ProviderSource,
    db: Pick<Db, 'inChange' | 'afterCommit'>,
    options: {
      cacheMs?: number;
      /** Other replicas' changes (migration 0032): a config names itself, a custom provider its project. */
      feed?: GovernanceFeed | undefined;
    } = {},
  ) {
    const { cacheMs = 5_000, feed } = options;
    this.loaded = new CommittedCache(
      db,
      cacheMs,
      feed && {
        feed,
        kinds: ['auth_config'],
        drops: (change) => (_, l) =>
          l.config.projectId === change.projectId && (change.id === null || l.config.id === change.id),
      },
    );
  }

  /** Forget cached configs (after a custom provider definition changed). */
  invalidate(projectId?: string): void {
    this.loaded.dropWhere((_, l) => projectId === undefined || l.config.projectId === projectId);
  }

  async create(projectId: string, input: AuthConfigInput): Promise<Result<AuthConfigView>> {
    const found = await findDefinition(this.providers, projectId, input.providerId);
    if (!found)
      return fail(
        'not_found',
        `provider ${input.providerId} is neither built in nor registered in this project`,
      );
    const oauth = found.definition.authType === 'oauth2';
    if (oauth && !input.clientId)
      return fail('invalid_request', `clientId is required for ${found.definition.displayName} (OAuth)`);
    if (!oauth && (input.clientId || input.clientSecret || input.defaultScopes || input.allowedScopes))
      return fail(
        'invalid_request',
        `${found.definition.displayName} uses ${found.definition.authType} credentials: no OAuth client or scopes`,
      );
    const id = newId('ac');
    const fields = {
      providerId: input.providerId,
      customProviderId: found.custom
        ? ((await this.providers.custom.bySlug(projectId, input.providerId))?.id ?? null)
        : null,
      name: input.name ?? found.definition.displayName,
      clientId: input.clientId ?? '',
      clientSecretCt: input.clientSecret
        ? await this.vault.encrypt(projectId, secretBinding(id), input.clientSecret)
        : null,
      settings: input.settings ?? {},
      defaultScopes: input.defaultScopes ?? null,
      allowedScopes: input.allowedScopes ?? null,
      branding: input.branding ?? {},
    };
    const checked = checkScopes(fields.defaultScopes, fields.allowedScopes);
    if (!checked.ok) return checked;
    const resolved = resolveProvider(found, fields.settings, this.providers.allowInternalProviders);
    if (!resolved.ok) return resolved;
    return ok(withoutSensitive(await this.store.insert(projectId, id, fields), found.definition));
  }

  async update(projectId: string, id: string, patch: AuthConfigPatch): Promise<Result<AuthConfigView>> {
    const current = await this.store.get(projectId, id);
    if (!current) return fail('not_found', `auth config ${id} not found`);
    const found = await findDefinition(this.providers, projectId, current.providerId);
    if (!found) return fail('invalid_provider', `provider ${current.providerId} no longer exists`);
    const fields = {
      providerId: current.providerId,
      customProviderId: current.customProviderId,
      name: patch.name ?? current.name,
      clientId: patch.clientId ?? current.clientId,
      clientSecretCt:
        patch.clientSecret === undefined
          ? current.clientSecretCt
          : await this.vault.encrypt(projectId, secretBinding(id), patch.clientSecret),
      settings: patch.settings
        ? patchedSettings(current.settings, patch.settings, found.definition)
        : current.settings,
      defaultScopes: patch.defaultScopes === undefined ? current.defaultScopes : patch.defaultScopes,
      allowedScopes: patch.allowedScopes === undefined ? current.allowedScopes : patch.allowedScopes,
      branding: patch.branding ?? current.branding,
    };
    const checked = checkScopes(fields.defaultScopes, fields.allowedScopes);
    if (!checked.ok) return checked;
    const resolved = resolveProvider(found, fields.settings, this.providers.allowInternalProviders);
    if (!resolved.ok) return resolved;
    const updated = await this.store.update(projectId, id, fields);
    this.loaded.drop(`${projectId}/${id}`);
    return updated
      ? ok(withoutSensitive(updated, found.definition))
      : fail('not_found', `auth config ${id} not found`);
  }

  async get(projectId: string, id: string): Promise<Result<AuthConfigView>> {
    const found = await this.store.get(projectId, id);
    if (!found) return fail('not_found', `auth config ${id} not found`);
    const { clientSecretCt: _secret, ...config } = found;
    return ok(await this.#view(projectId, config));
  }

  async list(
    projectId: string,
    filter: { providerId?: string | undefined },
    page: Page,
  ): Promise<PageResult<AuthConfigView>> {
    const listed = await this.store.list(projectId, filter, page);
    const items: AuthConfigView[] = [];
    for (const c of listed.items) items.push(await this.#view(projectId, c));
    return { ...listed, items };
  }

  /** What callers may see: sensitive settings withheld (sensitive-settings.ts). */
  async #view(projectId: string, config: AuthConfig): Promise<AuthConfigView> {
    return withoutSensitive(
      config,
      (await findDefinition(this.providers, projectId, config.providerId))?.definition,
    );
  }

  async delete(projectId: string, id: string): Promise<Result<true>> {
    const deleted = await this.store.delete(projectId, id);
    this.loaded.drop(`${projectId}/${id}`);
    return deleted ? ok(true) : fail('not_found', `auth config ${id} not found`);
  }

  /** The auth config with its provider resolved and its OAuth client (secret decrypted) ready to use. */
  async load(projectId: string, id: string): Promise<Result<LoadedAuthConfig>> {
    let failed: Result<never> | undefined;
    const loaded = await this.loaded.read(`${projectId}/${id}`, async () => {
      const value = await this.#load(projectId, id);
      if (value.ok) return value.value;
      failed = value;
      return undefined;
    });
    return loaded ? ok(loaded) : failed!;
  }

  async #load(projectId: string, id: string): Promise<Result<LoadedAuthConfig>> {
    const found = await this.store.get(projectId, id);
    if (!found) return fail('not_found', `auth config ${id} not found`);
    const definition = await findDefinition(this.providers, projectId, found.providerId);
    if (!definition) return fail('invalid_provider', `provider ${found.providerId} no longer exists`);
    const provider = resolveProvider(definition, found.settings, this.providers.allowInternalProviders);
    if (!provider.ok) return provider;
    let clientSecret: string | undefined;
    if (found.clientSecretCt) {
      const secret = await this.vault.decrypt(projectId, secretBinding(id), found.clientSecretCt);
      if (!secret.ok) return secret;
      clientSecret = secret.value;
    }
    const { clientSecretCt: _secret, ...config } = found;
    return ok({ config, provider: provider.value, client: { clientId: found.clientId, clientSecret } });
  }
}

function checkScopes(defaults: string[] | null, allowed: string[] | null): Result<true> {
  if (defaults && allowed) {
    const outside = defaults.filter((s) => !allowed.includes(s));
    if (outside.length > 0)
      return fail('scope_not_allowed', `defaultScopes outside allowedScopes: ${outside.join(', ')}`);
  }
  return ok(true);
}
