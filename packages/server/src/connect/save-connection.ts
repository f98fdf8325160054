import { renderTemplate } from '@gatehouse/catalog';
import { type Credentials, isOAuth, openCredentials, sealCredentials } from '../accounts/credentials.js';
import type { AccountStore, AccountWrite, ConnectedAccount } from '../accounts/store.js';
import type { AccountTransitions } from '../accounts/transitions.js';
import type { TokenSet } from '../providers/oauth-client.js';
import { ProviderApi, type ProviderApiDeps } from '../providers/provider-api.js';
import type { ResolvedProvider } from '../providers/resolve.js';
import { readPath } from '../providers/token-response.js';
import { newId } from '../shared/ids.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { Db, Queryable } from '../store/db.js';
import { refreshDueAt } from '../tokens/schedule.js';
import type { Vault } from '../vault/vault.js';
import type { ConnectLink, LinkStore } from './link-store.js';

const CAPTURE_TIMEOUT_MS = 10_000;
const CONNECT_CALL = { idempotent: true, retry: { timeoutMs: CAPTURE_TIMEOUT_MS, maxAttempts: 2 } };

/** Values the definition says to capture at connect time (Salesforce instance_url, Atlassian cloud id). */
export async function captureConnectionConfig(
  d: Pick<ProviderApiDeps, 'outbound' | 'retry'>,
  p: ResolvedProvider,
  tokens: Pick<TokenSet, 'raw'> & { credentials: Credentials },
): Promise<Result<Record<string, string>>> {
  const out: Record<string, string> = {};
  const api = ProviderApi.forIssuedToken(d, p, tokens.credentials);
  for (const [name, spec] of Object.entries(p.definition.connectionConfig)) {
    let value: unknown;
    if (spec.from === 'token_response') {
      value = readPath(tokens.raw, spec.path);
    } else {
      const url = renderTemplate(spec.url, { settings: p.settings, connection: out });
      if (!url.ok) return fail('connection_config_failed', `connectionConfig.${name}: ${url.error.message}`);
      let target: URL;
      try {
        target = new URL(url.value);
      } catch {
        return fail('connection_config_failed', `connectionConfig.${name}: not a URL`);
      }
      const res = await api.request(
        { method: spec.method, url: target, headers: spec.headers ?? {} },
        CONNECT_CALL,
      );
      if (!res.ok || res.value.status >= 400)
        return fail(
          'connection_config_failed',
          `connectionConfig.${name}: the provider answered ${res.ok ? res.value.status : 'nothing'}`,
        );
      value = readPath(parseJson(res.value.body), spec.path);
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      return fail('connection_config_failed', `connectionConfig.${name}: nothing found at ${spec.path}`);
    }
    out[name] = String(value);
  }
  return ok(out);
}

/** Learns the upstream account's stable subject, so a reconnect updates instead of duplicating. */
export async function identify(
  d: Pick<ProviderApiDeps, 'outbound' | 'retry'>,
  p: ResolvedProvider,
  tokens: Pick<TokenSet, 'idTokenSubject'> & { credentials: Credentials },
  connection: Record<string, string>,
): Promise<{ subject: string | null; displayName: string | null }> {
  const identity = p.definition.api.identity;
  const nobody = { subject: null, displayName: null };
  if (!identity) return nobody;
  if (identity.source === 'id_token') return { subject: tokens.idTokenSubject ?? null, displayName: null };
  const api = ProviderApi.forIssuedToken(d, p, tokens.credentials, connection);
  const res = await api.request(
    {
      method: identity.method,
      path: identity.path,
      ...(identity.body === undefined ? {} : { body: JSON.stringify(identity.body) }),
    },
    CONNECT_CALL,
  );
  if (!res.ok || res.value.status >= 400) return nobody;
  const body = parseJson(res.value.body);
  const subject = readPath(body, identity.subjectPath);
  const display = identity.displayNamePath ? readPath(body, identity.displayNamePath) : undefined;
  return {
    subject: typeof subject === 'string' || typeof subject === 'number' ? String(subject) : null,
    displayName: typeof display === 'string' ? display : null,
  };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function expiryOf(p: ResolvedProvider, tokens: TokenSet, now = Date.now()): Date | null {
  const seconds = tokens.expiresIn ?? p.oauth2?.defaultTokenLifetimeSeconds ?? null;
  return seconds === null ? null : new Date(now + seconds * 1000);
}

/** Who a new connection is for and what it replaces: from a Connect Link, or from an API submission. */
export interface ConnectionTarget {
  projectId: string;
  authConfigId: string;
  userId: string;
  groupId: string | null;
  label: string | null;
  /** Reconnect or step-up of this account. */
  connectedAccountId: string | null;
  /** Scopes requested, used when the provider does not report what it granted. */
  scopes: string[];
  /** The link to complete in the same transaction, if any. */
  linkId?: string | undefined;
}

/** What is stored in the vault, with what the token response said about it. */
export interface Grant {
  credentials: Credentials;
  scopes: string[] | undefined;
  expiresAt: Date | null;
}

export const targetOfLink = (link: ConnectLink): ConnectionTarget => ({
  projectId: link.projectId,
  authConfigId: link.authConfigId,
  userId: link.userId,
  groupId: link.groupId,
  label: link.label,
  connectedAccountId: link.connectedAccountId,
  scopes: link.scopes,
  linkId: link.id,
});

export const grantOfTokens = (p: ResolvedProvider, tokens: TokenSet, now = Date.now()): Grant => ({
  credentials: {
    accessToken: tokens.accessToken,
    tokenType: tokens.tokenType,
    ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    ...(tokens.idToken ? { idToken: tokens.idToken } : {}),
  },
  scopes: tokens.scopes,
  expiresAt: expiryOf(p, tokens, now),
});

/** A finished OAuth flow from a Connect Link. */
export function saveConnection(
  deps: SaveDeps,
  link: ConnectLink,
  p: ResolvedProvider,
  tokens: TokenSet,
  identity: { subject: string | null; displayName: string | null },
  connection: Record<string, string>,
): Promise<Result<ConnectedAccount>> {
  return storeConnection(deps, targetOfLink(link), p, grantOfTokens(p, tokens), identity, connection);
}

export type SaveDeps = {
  db: Db;
  vault: Vault;
  accounts: AccountStore;
  links: LinkStore;
  transitions: AccountTransitions;
};

/**
 * Stores a verified connection in one transaction: step-up/reconnect of a named account, or an
 * update of the account with the same upstream subject, or a new account. Then completes the link
 * (if any) and activates the account (`connection.active`). OAuth, imported and static credentials are
 * sealed alike. The first proactive refresh of an expiring OAuth token is scheduled here, by the
 * refresher's own rule, so the refresher's claim finds the account by `next_refresh_at`.
 */
export async function storeConnection(
  deps: SaveDeps,
  target: ConnectionTarget,
  p: ResolvedProvider,
  grant: Grant,
  identity: { subject: string | null; displayName: string | null },
  connection: Record<string, string>,
  /** More writes in the same transaction, once the account is active (the admin audit row of an API connect). */
  alsoInTransaction?: (tx: Queryable, account: ConnectedAccount) => Promise<unknown>,
): Promise<Result<ConnectedAccount>> {
  const projectId = target.projectId;
  // Sealed before the transaction: the vault may read (or create) the project's data key, which must
  // not wait on this transaction (PGlite has one connection). A reconnect re-seals for its row below.
  const newAccountId = newId('ca');
  const sealedForNew = await sealCredentials(deps.vault, projectId, newAccountId, grant.credentials);
  return deps.db.transaction(async (tx) => {
    let existing: ConnectedAccount | undefined;
    if (target.connectedAccountId) {
      existing = await deps.accounts.get(projectId, target.connectedAccountId, tx);
      if (!existing) return fail('account_missing', 'the account being reconnected no longer exists');
      if (existing.subject && identity.subject && existing.subject !== identity.subject) {
        return fail(
          'account_mismatch',
          'a different upstream account was connected than the one being reconnected',
        );
      }
    } else if (identity.subject) {
      existing = await deps.accounts.findBySubject(tx, projectId, {
        authConfigId: target.authConfigId,
        userId: target.userId,
        subject: identity.subject,
      });
    }
    const targetId = existing?.id;
    const accountId = targetId ?? newAccountId;
    let credentials = grant.credentials;
    // Some providers (Google) send a refresh token only on first consent: a reconnect keeps the old one.
    if (isOAuth(credentials) && !credentials.refreshToken && existing?.credentialsCt) {
      const previous = await openCredentials(deps.vault, projectId, existing.id, existing.credentialsCt);
      if (previous.ok && previous.value.refreshToken)
        credentials = { ...credentials, refreshToken: previous.value.refreshToken };
    }
    const now = new Date();
    const refreshable = isOAuth(credentials) && grant.expiresAt !== null;
    const write: AccountWrite = {
      scopes: grant.scopes ?? target.scopes,
      credentialsCt:
        accountId === newAccountId && credentials === grant.credentials
          ? sealedForNew
          : await sealCredentials(deps.vault, projectId, accountId, credentials),
      accessTokenExpiresAt: grant.expiresAt,
      nextRefreshAt: refreshable && grant.expiresAt ? refreshDueAt(p, grant.expiresAt, now) : null,
      subject: identity.subject,
      displayName: identity.displayName,
      connectionConfig: connection,
    };
    const saved = targetId
      ? await deps.accounts.replaceConnection(
          tx,
          projectId,
          accountId,
          target.label === null ? write : { ...write, label: target.label },
        )
      : await deps.accounts.insert(
          tx,
          projectId,
          accountId,
          {
            authConfigId: target.authConfigId,
            userId: target.userId,
            groupId: target.groupId,
            providerId: p.id,
            label: target.label,
          },
          write,
        );
    if (target.linkId) await deps.links.complete(tx, projectId, target.linkId, saved.id);
    const active = await deps.transitions.activate(tx, saved);
    await alsoInTransaction?.(tx, active);
    return ok(active);
  });
}
