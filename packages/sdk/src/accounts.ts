import { ConnectionFailedError } from './errors.js';
import type { HttpClient } from './http.js';
import { paginate, seg } from './pagination.js';
import { sleep } from './retry.js';
import type {
  AccountStatus,
  AuthConfig,
  AuthConfigInput,
  ConnectedAccount,
  ConnectLink,
  LinkInput,
  Page,
} from './types.js';

type PageQuery = { cursor?: string; limit?: number };
export type AuthConfigQuery = PageQuery & { providerId?: string };
export type AccountQuery = PageQuery & {
  userId?: string;
  authConfigId?: string;
  providerId?: string;
  status?: AccountStatus;
};

/** `gatehouse.authConfigs`: a project's OAuth apps per provider. */
export function authConfigsApi(http: HttpClient) {
  const list = (q: AuthConfigQuery = {}) =>
    http.request<Page<AuthConfig>>('GET', '/v1/auth-configs', { query: q });
  return {
    create: (input: AuthConfigInput) => http.request<AuthConfig>('POST', '/v1/auth-configs', { body: input }),
    get: (id: string) => http.request<AuthConfig>('GET', `/v1/auth-configs/${seg(id)}`),
    list,
    iterate: (q: Omit<AuthConfigQuery, 'cursor'> = {}) => paginate(list, q),
    update: (id: string, patch: Partial<Omit<AuthConfigInput, 'providerId'>>) =>
      http.request<AuthConfig>('PATCH', `/v1/auth-configs/${seg(id)}`, { body: patch }),
    delete: (id: string) => http.request<void>('DELETE', `/v1/auth-configs/${seg(id)}`),
  };
}

/** `gatehouse.connectLinks` (also reachable as `connectedAccounts.link` and friends). */
export function connectLinksApi(http: HttpClient) {
  const api = {
    /** Creates a Connect Link; send the user's browser to `redirectUrl`. */
    create: (input: LinkInput) =>
      http.request<ConnectLink & { redirectUrl: string }>('POST', '/v1/connect/links', { body: input }),
    get: (linkId: string) => http.request<ConnectLink>('GET', `/v1/connect/links/${seg(linkId)}`),
    /**
     * User verification: call from your verifier page, with the `assertion` it received and the id
     * of the user signed in to your app there. Only a match saves the connection.
     */
    confirm: (linkId: string, input: { userId: string; assertion: string }) =>
      http.request<ConnectLink>('POST', `/v1/connect/links/${seg(linkId)}/confirm`, { body: input }),
    /**
     * Resolves with the link once it completed; rejects with ConnectionFailedError when it fails,
     * expires, or `timeoutMs` passes.
     */
    waitForCompletion: async (
      linkId: string,
      options: { timeoutMs?: number; pollIntervalMs?: number } = {},
    ): Promise<ConnectLink & { connectedAccountId: string }> => {
      const deadline = Date.now() + (options.timeoutMs ?? 5 * 60_000);
      let interval = options.pollIntervalMs ?? 500;
      for (;;) {
        const link = await api.get(linkId);
        if (link.status === 'COMPLETED' && link.connectedAccountId)
          return link as ConnectLink & { connectedAccountId: string };
        if (link.status === 'FAILED')
          throw new ConnectionFailedError(
            link.failure?.code ?? 'link_failed',
            link.failure?.message ?? 'the connection failed',
            linkId,
          );
        if (link.status === 'EXPIRED')
          throw new ConnectionFailedError('link_expired', 'the connect link expired', linkId);
        if (Date.now() >= deadline)
          throw new ConnectionFailedError('timeout', 'timed out waiting for the connection', linkId);
        await sleep(Math.min(interval, Math.max(0, deadline - Date.now())));
        interval = Math.min(interval * 1.5, 3_000);
      }
    },
  };
  return api;
}

/** `gatehouse.connectedAccounts`: the accounts end users connected. Never a token. */
export function connectedAccountsApi(http: HttpClient, links: ReturnType<typeof connectLinksApi>) {
  const list = (q: AccountQuery = {}) =>
    http.request<Page<ConnectedAccount>>('GET', '/v1/connected-accounts', { query: q });
  const get = (id: string) => http.request<ConnectedAccount>('GET', `/v1/connected-accounts/${seg(id)}`);
  return {
    /** Creates a Connect Link (`connectLinks.create`). */
    link: links.create,
    getLink: links.get,
    confirmLink: links.confirm,
    /**
     * Resolves with the connected account once the link completes; rejects with
     * ConnectionFailedError when it fails, expires, or `timeoutMs` passes.
     */
    waitForConnection: async (
      linkId: string,
      options: { timeoutMs?: number; pollIntervalMs?: number } = {},
    ) => get((await links.waitForCompletion(linkId, options)).connectedAccountId),
    list,
    iterate: (q: Omit<AccountQuery, 'cursor'> = {}) => paginate(list, q),
    get,
    /** Refreshes the account's token now (admin key); the account view comes back, never a token. */
    refresh: (id: string) =>
      http.request<ConnectedAccount>('POST', `/v1/connected-accounts/${seg(id)}/refresh`),
    /** Deletes the account and revokes its token at the provider when the provider supports it. */
    delete: (id: string) =>
      http.request<{ id: string; deleted: true; revokedAtProvider: boolean }>(
        'DELETE',
        `/v1/connected-accounts/${seg(id)}`,
      ),
  };
}
