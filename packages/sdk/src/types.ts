/** Wire types of the Gatehouse REST API (dates are ISO strings). */

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export type AccountStatus = 'INITIATED' | 'ACTIVE' | 'EXPIRED' | 'REVOKED' | 'FAILED';

export interface ConnectedAccount {
  id: string;
  userId: string;
  authConfigId: string;
  providerId: string;
  label: string | null;
  status: AccountStatus;
  statusReason: string | null;
  scopes: string[];
  accessTokenExpiresAt: string | null;
  upstreamAccount: { id: string; displayName: string | null } | null;
  lastRefreshedAt: string | null;
  lastUsedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type LinkStatus = 'PENDING' | 'OPENED' | 'VERIFYING' | 'COMPLETED' | 'FAILED' | 'EXPIRED';

export interface ConnectLink {
  id: string;
  status: LinkStatus;
  userId: string;
  authConfigId: string;
  scopes: string[];
  label: string | null;
  callbackUrl: string | null;
  connectedAccountId: string | null;
  failure: { code: string; message: string } | null;
  expiresAt: string;
  completedAt: string | null;
  createdAt: string;
  /** Present when the link was just created: send the user's browser here. */
  redirectUrl?: string;
}

export interface LinkInput {
  userId: string;
  authConfigId: string;
  scopes?: string[];
  label?: string;
  callbackUrl?: string;
  /** Reconnect or step up an existing account. */
  connectedAccountId?: string;
  /** Tool slugs the user is connecting for: their scopes are requested (with `scopes`, if any). */
  tools?: string[];
}

export interface Branding {
  displayName?: string;
  logoUrl?: string;
  accentColor?: string;
}

export interface AuthConfig {
  id: string;
  providerId: string;
  name: string;
  clientId: string;
  hasClientSecret: boolean;
  settings: Record<string, string>;
  defaultScopes: string[] | null;
  allowedScopes: string[] | null;
  branding: Branding;
  createdAt: string;
  updatedAt: string;
}

export interface AuthConfigInput {
  providerId: string;
  name?: string;
  clientId: string;
  clientSecret?: string;
  settings?: Record<string, string>;
  defaultScopes?: string[] | null;
  allowedScopes?: string[] | null;
  branding?: Branding;
}
