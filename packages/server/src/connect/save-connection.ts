import { renderTemplate } from '@gatehouse/catalog';
import { openCredentials, sealCredentials } from '../accounts/credentials.js';
import type { AccountStore, AccountWrite, ConnectedAccount } from '../accounts/store.js';
import type { AccountTransitions } from '../accounts/transitions.js';
import type { TokenSet } from '../providers/oauth-client.js';
import { ProviderApi, type ProviderApiDeps } from '../providers/provider-api.js';
import type { ResolvedProvider } from '../providers/resolve.js';
import { readPath } from '../providers/token-response.js';
import { newId } from '../shared/ids.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { Db } from '../store/db.js';
import { refreshDueAt } from '../tokens/schedule.js';
import type { Vault } from '../vault/vault.js';
import type { ConnectLink, LinkStore } from './link-store.js';

const CAPTURE_TIMEOUT_MS = 10_000;
const CONNECT_CALL = { idempotent: true, retry: { timeoutMs: CAPTURE_TIMEOUT_MS, maxAttempts: 2 } };

/** Values the definition says to capture at connect time (Salesforce instance_url, Atlassian cloud id). */
export async function captureConnectionConfig(
  d: Pick<ProviderApiDeps, 'outbound' | 'retry'>,
  p: ResolvedProvider,
  tokens: TokenSet,
): Promise<Result<Record<string, string>>> {
  const out: Record<string, string> = {};
  const api = ProviderApi.forIssuedToken(d, p, tokens.accessToken);
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
  tokens: TokenSet,
  connection: Record<string, string>,
): Promise<{ subject: string | null; displayName: string | null }> {
  const identity = p.definition.api.identity;
  const nobody = { subject: null, displayName: null };
  if (!identity) return nobody;
  if (identity.source === 'id_token') return { subject: tokens.idTokenSubject ?? null, displayName: null };
  const api = ProviderApi.forIssuedToken(d, p, tokens.accessToken, connection);
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

/**
 * Stores a finished connection in one transaction: step-up/reconnect of a named account, or an
 * update of the account with the same upstream subject, or a new account. Then completes the link
 * and activates the account (`connection.active`). The first proactive refresh is scheduled here, by
 * the refresher's own rule, so the refresher's claim finds the account by `next_refresh_at`.
 */
export async function saveConnection(
  deps: { db: Db; vault: Vault; accounts: AccountStore; links: LinkStore; transitions: AccountTransitions },
  link: ConnectLink,
  p: ResolvedProvider,
  tokens: TokenSet,
  identity: { subject: string | null; displayName: string | null },
  connection: Record<string, string>,
): Promise<Result<ConnectedAccount>> {
  const projectId = link.projectId;
  return deps.db.transaction(async (tx) => {
    let existing: ConnectedAccount | undefined;
    if (link.connectedAccountId) {
      existing = await deps.accounts.get(projectId, link.connectedAccountId, tx);
      if (!existing) return fail('account_missing', 'the account being reconnected no longer exists');
      if (existing.subject && identity.subject && existing.subject !== identity.subject) {
        return fail(
          'account_mismatch',
          'a different upstream account was connected than the one being reconnected',
        );
      }
    } else if (identity.subject) {
      existing = await deps.accounts.findBySubject(tx, projectId, {
        authConfigId: link.authConfigId,
        userId: link.userId,
        subject: identity.subject,
      });
    }
    const targetId = existing?.id;
    const accountId = targetId ?? newId('ca');
    // Some providers (Google) send a refresh token only on first consent: a reconnect keeps the old one.
    let refreshToken = tokens.refreshToken;
    if (!refreshToken && existing?.credentialsCt) {
      const previous = await openCredentials(deps.vault, projectId, existing.id, existing.credentialsCt);
      if (previous.ok) refreshToken = previous.value.refreshToken;
    }
    const now = new Date();
    const expiresAt = expiryOf(p, tokens, now.getTime());
    const write: AccountWrite = {
      scopes: tokens.scopes ?? link.scopes,
      credentialsCt: await sealCredentials(deps.vault, projectId, accountId, {
        accessToken: tokens.accessToken,
        tokenType: tokens.tokenType,
        ...(refreshToken ? { refreshToken } : {}),
        ...(tokens.idToken ? { idToken: tokens.idToken } : {}),
      }),
      accessTokenExpiresAt: expiresAt,
      nextRefreshAt: expiresAt ? refreshDueAt(p, expiresAt, now) : null,
      subject: identity.subject,
      displayName: identity.displayName,
      connectionConfig: connection,
    };
    const saved = targetId
      ? await deps.accounts.replaceConnection(
          tx,
          projectId,
          accountId,
          link.label === null ? write : { ...write, label: link.label },
        )
      : await deps.accounts.insert(
          tx,
          projectId,
          accountId,
          { authConfigId: link.authConfigId, userId: link.userId, providerId: p.id, label: link.label },
          write,
        );
    await deps.links.complete(tx, projectId, link.id, saved.id);
    return ok(await deps.transitions.activate(tx, saved));
  });
}
