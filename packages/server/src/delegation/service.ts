import type { JWK } from 'jose';
import { SigningKeys } from '../authserver/signing-keys.js';
import { serverUrls } from '../authserver/urls.js';
import type { McpServerProfiles } from '../mcp/server-profiles.js';
import type { Outbound } from '../outbound/client.js';
import type { ApiKeyStore } from '../projects/api-keys.js';
import type { Result } from '../shared/result.js';
import type { Db } from '../store/db.js';
import type { GovernanceFeed } from '../store/governance-feed.js';
import type { Vault } from '../vault/vault.js';
import { AgentPublicKeys } from './agent-keys.js';
import { AgentAssertions } from './assertions.js';
import { exchangeToken, type TokenExchangeResponse } from './exchange/index.js';
import type { ExchangeDeps, ExchangeForm } from './exchange/types.js';
import { RemoteKeySets } from './remote-jwks.js';
import { DelegationSettingsStore, MAX_TOKEN_TTL_SECONDS } from './settings.js';
import { type Delegation, DelegationTokens } from './tokens.js';
import { type DelegationUrls, delegationUrls } from './urls.js';

export interface DelegationOptions {
  db: Db;
  vault: Vault;
  outbound: Outbound;
  apiKeys: ApiKeyStore;
  mcpProfiles: McpServerProfiles;
  publicUrl: string;
  cacheMs?: number;
  /** Other replicas' changes to delegation settings (migration 0031). */
  governance?: GovernanceFeed;
}

/** Token exchange, its settings, agents' public keys, and the verification of exchanged tokens. */
export class DelegationService {
  readonly settings: DelegationSettingsStore;
  readonly agentKeys: AgentPublicKeys;
  readonly signingKeys: SigningKeys;
  readonly tokens: DelegationTokens;
  private readonly deps: ExchangeDeps;
  private readonly remoteKeys: RemoteKeySets;

  constructor(private readonly o: DelegationOptions) {
    const remoteKeys = new RemoteKeySets(o.outbound);
    this.remoteKeys = remoteKeys;
    this.settings = new DelegationSettingsStore(o.db, o.cacheMs, o.governance);
    this.agentKeys = new AgentPublicKeys(o.db, remoteKeys);
    this.signingKeys = new SigningKeys(o.db, o.vault, { table: 'delegation_signing_keys', prefix: 'dsk' });
    this.tokens = new DelegationTokens(o.publicUrl, this.signingKeys);
    this.deps = {
      publicUrl: o.publicUrl,
      agentKey: async (presented) => {
        const found = await o.apiKeys.authenticate(presented);
        return found.ok ? found.value : undefined;
      },
      assertions: new AgentAssertions(o.db, this.agentKeys),
      tokens: this.tokens,
      remoteKeys,
      isMcpResource: async (projectId, audience) => {
        const prefix = `${o.publicUrl}/mcp/`;
        if (!audience.startsWith(prefix)) return false;
        const profile = await o.mcpProfiles.get(projectId, audience.slice(prefix.length));
        return profile.ok && serverUrls(o.publicUrl, profile.value.id).resource === audience;
      },
    };
  }

  /** The audience of tokens for the REST API. */
  get apiAudience(): string {
    return delegationUrls(this.o.publicUrl, 'prj_').apiAudience;
  }

  urls(projectId: string): DelegationUrls {
    return delegationUrls(this.o.publicUrl, projectId);
  }

  async exchange(projectId: string, form: ExchangeForm): Promise<Result<TokenExchangeResponse>> {
    const settings = await this.settings.get(projectId);
    return exchangeToken({ projectId, urls: this.urls(projectId), settings, form }, this.deps);
  }

  /** The JWK Set to publish: retired keys stay in it as long as a token they signed may live. */
  async jwks(projectId: string): Promise<{ keys: JWK[] }> {
    return { keys: await this.signingKeys.publicKeys(projectId, MAX_TOKEN_TTL_SECONDS + 60) };
  }

  /** An exchanged token presented as a bearer credential, for `audience` (the API or an MCP server). */
  verify(token: string, audience: string, project?: string): Promise<Result<Delegation>> {
    return this.tokens.verify(token, audience, project);
  }

  /** Why a key set URL is refused at input (SSRF policy), if it is. */
  jwksRefusal(uri: string): string | undefined {
    return this.remoteKeys.refusal(uri);
  }

  claimsToBe(token: string): boolean {
    return this.tokens.claimsToBe(token);
  }
}
