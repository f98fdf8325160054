import type { Agent, ApiKey, ApiKeyWithSecret, KeyRole } from './admin-types.js';
import type { HttpClient } from './http.js';
import { paginate, seg } from './pagination.js';
import type { Page } from './types.js';

type PageQuery = { cursor?: string; limit?: number };

/**
 * `gatehouse.agents` (admin key): registered agents and their keys. An agent key names its agent, so
 * audit, policies and limits see which agent acted.
 */
export function agentsApi(http: HttpClient) {
  const list = (q: PageQuery = {}) => http.request<Page<Agent>>('GET', '/v1/agents', { query: q });
  return {
    /** Registers an agent and returns its first key (`key.key`, shown this once). */
    create: (input: { id: string; name?: string; description?: string }) =>
      http.request<Agent & { key: ApiKeyWithSecret }>('POST', '/v1/agents', { body: input }),
    list,
    iterate: (q: Omit<PageQuery, 'cursor'> = {}) => paginate(list, q),
    /** The agent and its keys (never their secrets). */
    get: (id: string) => http.request<Agent & { keys: ApiKey[] }>('GET', `/v1/agents/${seg(id)}`),
    /** Disables the agent: its keys stop working. */
    delete: (id: string) => http.request<Agent>('DELETE', `/v1/agents/${seg(id)}`),
    /** Issues another key for the agent (rotation); the secret is in `key`, shown this once. */
    createKey: (id: string) => http.request<ApiKeyWithSecret>('POST', `/v1/agents/${seg(id)}/keys`),
    revokeKey: (id: string, keyId: string) =>
      http.request<ApiKey>('DELETE', `/v1/agents/${seg(id)}/keys/${seg(keyId)}`),
  };
}

/** `gatehouse.apiKeys` (admin key): the project's own keys. */
export function apiKeysApi(http: HttpClient) {
  const list = (q: PageQuery = {}) => http.request<Page<ApiKey>>('GET', '/v1/api-keys', { query: q });
  return {
    /** `role: 'runtime'` for an app's backend (cannot change settings or approve); default `admin`. */
    create: (input: { name?: string; role?: KeyRole } = {}) =>
      http.request<ApiKeyWithSecret>('POST', '/v1/api-keys', { body: input }),
    list,
    iterate: (q: Omit<PageQuery, 'cursor'> = {}) => paginate(list, q),
    revoke: (id: string) => http.request<ApiKey>('DELETE', `/v1/api-keys/${seg(id)}`),
  };
}
