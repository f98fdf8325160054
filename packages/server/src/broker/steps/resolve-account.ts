import type { AccountReads } from '../../accounts/account-cache.js';
import type { ConnectedAccount } from '../../accounts/store.js';
import type { AuthConfigService } from '../../auth-configs/service.js';
import type { ConnectLinks } from '../../connect/links.js';
import { type ExecutionContext, type Halt, refusal, rejection } from '../types.js';

export interface AccountDeps {
  /** The replica's account cache on the hot path (accounts/account-cache.ts). */
  accounts: AccountReads;
  authConfigs: AuthConfigService;
  connectLinks: ConnectLinks;
}

/** A personal connection is its user's; an organisation-owned one serves requests made for its group. */
const usableBy = (a: ConnectedAccount, userId: string, groupId: string | undefined): boolean =>
  a.groupId === null ? a.userId === userId : a.groupId === groupId;

/**
 * Which of the user's connections acts: the explicit one, or the user's only one for the tool's
 * provider (a personal one before the group's, when the request names a group). None →
 * authorization_required with a Connect Link; several → a clear error listing them. Whether a group's
 * connection may be used for this call is then the policies' decision (resource.owner, context.groupId).
 */
export async function resolveAccount(ctx: ExecutionContext, d: AccountDeps): Promise<Halt | undefined> {
  const { projectId, userId, connectedAccountId, groupId } = ctx.request;
  if (groupId !== undefined) ctx.groupId = groupId;
  const providerId = ctx.tool!.toolkit.provider;
  let account: ConnectedAccount | undefined;
  if (connectedAccountId) {
    account = await d.accounts.get(projectId, connectedAccountId);
    // Another user's (or project's, or group's) account is simply not found: existence is not revealed.
    if (!account || !usableBy(account, userId, groupId))
      return rejection('not_found', `connected account ${connectedAccountId} not found for user ${userId}`);
    if (account.providerId !== providerId) {
      return rejection(
        'account_provider_mismatch',
        `${ctx.request.slug} needs a ${providerId} account; ${account.id} is ${account.providerId}`,
      );
    }
  } else {
    const rows = await d.accounts.forUserAndProvider(projectId, userId, providerId, groupId);
    const active = rows.filter((a) => a.status === 'ACTIVE');
    const pool = active.length > 0 ? active : rows;
    // The user's own connection wins over the group's; the group's is the fallback.
    const personal = pool.filter((a) => a.groupId === null);
    const candidates = personal.length > 0 ? personal : pool;
    if (candidates.length > 1) {
      return rejection(
        'ambiguous_account',
        `user ${userId} has ${candidates.length} ${providerId} accounts; pass connectedAccountId`,
        {
          candidates: candidates.map((a) => ({ id: a.id, label: a.label, status: a.status })),
        },
      );
    }
    if (candidates.length === 0)
      return authorizationRequired(ctx, d, { reason: 'no_account', scopes: ctx.tool!.tool.scopes });
    account = candidates[0];
    if (!account) return rejection('not_found', 'the connected account disappeared');
  }
  ctx.account = account;
  const loaded = await d.authConfigs.load(projectId, account.authConfigId);
  if (!loaded.ok) return refusal(loaded.error);
  ctx.auth = loaded.value;
  if (loaded.value.client.clientSecret) ctx.secrets.push(loaded.value.client.clientSecret);
  if (account.status !== 'ACTIVE') {
    return authorizationRequired(ctx, d, { reason: 'reconnect', scopes: ctx.tool!.tool.scopes, account });
  }
  return undefined;
}

/** The account's granted scopes cover the tool's; otherwise a step-up link for exactly what is missing. */
export async function checkScopes(ctx: ExecutionContext, d: AccountDeps): Promise<Halt | undefined> {
  // Static credentials (API key, basic, bearer) have no scopes: the key grants what it grants.
  if (!ctx.auth?.provider.oauth2) return undefined;
  const granted = new Set(ctx.account!.scopes);
  const missing = ctx.tool!.tool.scopes.filter((s) => !granted.has(s));
  if (missing.length === 0) return undefined;
  return authorizationRequired(ctx, d, { reason: 'missing_scopes', scopes: missing, account: ctx.account! });
}

/**
 * A typed answer an agent can relay to its user: not a crash. The link asks for exactly what is
 * missing (incremental consent); for an existing account the link updates it in place.
 */
export async function authorizationRequired(
  ctx: ExecutionContext,
  d: AccountDeps,
  why: {
    reason: 'no_account' | 'missing_scopes' | 'reconnect';
    scopes: string[];
    account?: ConnectedAccount;
  },
): Promise<Halt> {
  const { projectId, userId } = ctx.request;
  const providerId = ctx.tool!.toolkit.provider;
  let authConfigId = why.account?.authConfigId;
  if (!authConfigId) {
    const configs = await d.authConfigs.list(projectId, { providerId }, { limit: 2 });
    authConfigId = configs.items.at(-1)?.id; // the oldest: lists are newest first
    if (!authConfigId) {
      return rejection(
        'no_auth_config',
        `this project has no auth config for ${providerId}; create one before connecting users`,
      );
    }
  }
  const link = await d.connectLinks.create(projectId, {
    userId,
    authConfigId,
    scopes: why.scopes,
    connectedAccountId: why.account?.id,
    withDefaultScopes: why.reason === 'no_account',
  });
  if (!link.ok) return refusal(link.error);
  const messages = {
    no_account: `${userId} has not connected ${providerId} yet`,
    missing_scopes: `the ${providerId} connection lacks ${why.scopes.join(', ')}`,
    reconnect: `the ${providerId} connection is ${why.account?.status ?? 'inactive'} and must be reconnected`,
  };
  return refusal({
    code: 'authorization_required',
    message: `${messages[why.reason]}: ask the user to open the link`,
    details: {
      reason: why.reason,
      provider: providerId,
      missingScopes: why.scopes,
      connectedAccountId: why.account?.id ?? null,
      connectLink: {
        id: link.value.link.id,
        redirectUrl: link.value.redirectUrl,
        expiresAt: link.value.link.expiresAt,
      },
    },
  });
}
