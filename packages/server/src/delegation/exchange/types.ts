import type { Failure } from '../../shared/result.js';
import type { AgentAssertions } from '../assertions.js';
import type { Chain } from '../chain.js';
import type { RemoteKeySets } from '../remote-jwks.js';
import type { DelegationSettings } from '../settings.js';
import type { DelegationTokens } from '../tokens.js';
import type { DelegationUrls } from '../urls.js';

export const GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
export const TOKEN_TYPE = {
  accessToken: 'urn:ietf:params:oauth:token-type:access_token',
  jwt: 'urn:ietf:params:oauth:token-type:jwt',
  idToken: 'urn:ietf:params:oauth:token-type:id_token',
  /** Not an IANA type: an agent's `gth_ak_` key presented as the actor token. */
  agentKey: 'urn:gatehouse:params:oauth:token-type:agent-key',
} as const;

/** The form parameters of RFC 8693 §2.1, each at most once. */
export interface ExchangeForm {
  grant_type?: string;
  subject_token?: string;
  subject_token_type?: string;
  actor_token?: string;
  actor_token_type?: string;
  requested_token_type?: string;
  scope?: string;
  audience?: string;
  resource?: string;
}

/** The subject token, verified: whose it is, who already acts for them, what it allows. */
export interface Subject {
  userId: string;
  issuer: string;
  /** Agents already acting (a Gatehouse token being exchanged again), outermost first; [] from an IdP. */
  chain: Chain;
  /** The most an exchange from it may grant. */
  scopeCeiling: readonly string[];
  /** Epoch seconds: an exchanged token never outlives its subject token. */
  expiresAt: number;
  /** RFC 8693 §4.4, as the token carried it. */
  mayAct: unknown;
}

export interface ExchangeContext {
  readonly projectId: string;
  readonly urls: DelegationUrls;
  readonly settings: DelegationSettings;
  readonly form: ExchangeForm;
  /** The agent the actor token authenticates. */
  actor?: string;
  subject?: Subject;
  /** The new chain: the actor, then the subject's chain. */
  chain?: Chain;
  scopes?: string[];
  audience?: string;
}

export interface ExchangeDeps {
  publicUrl: string;
  /** `gth_ak_` key → its project and agent (the API key store). */
  agentKey(presented: string): Promise<{ projectId: string; agentId: string | null } | undefined>;
  assertions: AgentAssertions;
  tokens: DelegationTokens;
  remoteKeys: RemoteKeySets;
  /** Whether an audience is one of the project's MCP server resources. */
  isMcpResource(projectId: string, audience: string): Promise<boolean>;
}

/** A step returns nothing to go on, or the OAuth error that ends the exchange (RFC 6749 §5.2). */
export type ExchangeStep = (
  ctx: ExchangeContext,
  d: ExchangeDeps,
) => Failure | undefined | Promise<Failure | undefined>;

export const refuse = (code: Failure['code'], message: string): Failure => ({ code, message });
