import { createHash } from 'node:crypto';
import type { AccountStore } from '../accounts/store.js';
import type { AuthConfigService } from '../auth-configs/service.js';
import type { ToolCatalog } from '../catalog/tool-catalog.js';
import { scopesForTools } from '../policy/tool-scopes.js';
import { newId, randomToken } from '../shared/ids.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { ConnectLink, LinkStore } from './link-store.js';

export const LINK_TTL_MS = 10 * 60_000;

export interface CreateLinkInput {
  userId: string;
  authConfigId: string;
  /** The group (team, workspace) that will own the connection; its members may use it where policy allows. */
  groupId?: string | undefined;
  scopes?: string[] | undefined;
  label?: string | undefined;
  callbackUrl?: string | undefined;
  /** Reconnect or step-up an existing account: its scopes are kept and the new ones added. */
  connectedAccountId?: string | undefined;
  /** Also request the auth config's default scopes (a first connection made on a tool's behalf). */
  withDefaultScopes?: boolean | undefined;
  /** Request only what these tools need (the union of their scopes), plus any `scopes` given. */
  tools?: string[] | undefined;
}

export const sha256Hex = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Creating and reading Connect Links (the API side). The browser side is `hosted-flow.ts`. */
export class ConnectLinks {
  constructor(
    private readonly links: LinkStore,
    private readonly authConfigs: AuthConfigService,
    private readonly accounts: AccountStore,
    private readonly publicUrl: string,
    private readonly production: boolean,
    private readonly catalog: ToolCatalog,
  ) {}

  async create(
    projectId: string,
    input: CreateLinkInput,
  ): Promise<Result<{ link: ConnectLink; redirectUrl: string }>> {
    const loaded = await this.authConfigs.load(projectId, input.authConfigId);
    if (!loaded.ok) return loaded;
    const { config, provider } = loaded.value;
    // Static credentials (API key, basic, bearer) carry no scopes: the key grants what it grants.
    if (!provider.oauth2) input = { ...input, scopes: undefined, tools: undefined, withDefaultScopes: false };
    const defaults = config.defaultScopes ?? provider.oauth2?.defaultScopes ?? [];
    // A provider that declares its scope vocabulary: a scope outside it (or the auth config's own
    // lists) is a typo or a guess, and would be shown to the end user on the consent page.
    const declared = (provider.oauth2?.scopes ?? []).map((s) => s.name);
    if (declared.length > 0 && input.scopes) {
      const known = new Set([...declared, ...(config.allowedScopes ?? []), ...(config.defaultScopes ?? [])]);
      const unknown = input.scopes.filter((s) => !known.has(s));
      if (unknown.length > 0)
        return fail(
          'unknown_scope',
          `${provider.definition.displayName} declares no scope named ${unknown.join(', ')}`,
          { scopes: unknown, providerId: provider.definition.id },
        );
    }
    if (input.tools) {
      const needed = scopesForTools(input.tools, provider, await this.catalog.forProject(projectId));
      if (!needed.ok) return needed;
      input = { ...input, scopes: [...new Set([...(input.scopes ?? []), ...needed.value])] };
    }
    let base = input.scopes ? [...(input.withDefaultScopes ? defaults : []), ...input.scopes] : defaults;
    if (input.connectedAccountId) {
      const account = await this.accounts.get(projectId, input.connectedAccountId);
      if (!account || account.userId !== input.userId || account.authConfigId !== input.authConfigId) {
        return fail(
          'not_found',
          `connected account ${input.connectedAccountId} not found for this user and auth config`,
        );
      }
      base = [...account.scopes, ...base];
    }
    const ceiling = config.allowedScopes;
    const outside = ceiling ? base.filter((s) => !ceiling.includes(s)) : [];
    if (outside.length > 0) {
      return fail(
        'scope_not_allowed',
        `scopes outside this auth config's allowed scopes: ${outside.join(', ')}`,
        { scopes: outside },
      );
    }
    // Offline scopes are what makes a provider issue a refresh token; they carry no data access.
    const offline =
      provider.oauth2?.refreshTokenRotation === 'none' ? [] : (provider.oauth2?.offlineScopes ?? []);
    const scopes = [...new Set([...base, ...offline])];
    if (input.callbackUrl !== undefined) {
      const checked = checkAppUrl(input.callbackUrl, this.production, 'callbackUrl');
      if (!checked.ok) return checked;
    }
    const id = newId('cl');
    const key = randomToken(32);
    const link = await this.links.insert(projectId, {
      id,
      authConfigId: input.authConfigId,
      userId: input.userId,
      groupId: input.groupId ?? null,
      scopes,
      label: input.label ?? null,
      callbackUrl: input.callbackUrl ?? null,
      connectedAccountId: input.connectedAccountId ?? null,
      keyHash: sha256Hex(key),
      expiresAt: new Date(Date.now() + LINK_TTL_MS),
    });
    return ok({ link, redirectUrl: `${this.publicUrl}/connect/${id}?key=${key}` });
  }

  /**
   * Binds a fresh link to a login realm: it will open only in a browser signed in there as the
   * link's user (links handed to MCP clients, whose end user is known only by their sign-in).
   */
  async requireLogin(projectId: string, id: string, realm: string): Promise<Result<true>> {
    return (await this.links.requireLogin(projectId, id, realm))
      ? ok(true)
      : fail('conflict', `connect link ${id} was already opened and cannot be bound`);
  }

  async get(projectId: string, id: string): Promise<Result<ConnectLink>> {
    const link = await this.links.get(projectId, id);
    return link ? ok(link) : fail('not_found', `connect link ${id} not found`);
  }
}

/** A URL of the app's that Gatehouse sends browsers to: absolute, https (http on loopback or outside production), no credentials. */
export function checkAppUrl(value: string, production: boolean, field: string): Result<true> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail('invalid_request', `${field} must be an absolute URL`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (loopback || !production))) {
    return fail(
      'invalid_request',
      `${field} must use https (http is accepted for loopback, or outside production)`,
    );
  }
  if (url.username || url.password) return fail('invalid_request', `${field} must not contain credentials`);
  return ok(true);
}
