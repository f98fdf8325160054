import type {
  ConnectSettings,
  ProviderEntry,
  ProviderSummary,
  ProxySettings,
  StoredConnectSettings,
  StoredProxySettings,
  ToolkitEntry,
  ToolkitPin,
  ToolkitSummary,
  ToolkitVersions,
} from './admin-types.js';
import type { HttpClient } from './http.js';
import { seg } from './pagination.js';
import type { Page } from './types.js';

/** `gatehouse.settings` (admin key): whether the raw proxy is open, and how Connect Links finish. */
export function settingsApi(http: HttpClient) {
  return {
    proxy: {
      get: () => http.request<StoredProxySettings>('GET', '/v1/settings/proxy'),
      put: (settings: ProxySettings) =>
        http.request<StoredProxySettings>('PUT', '/v1/settings/proxy', { body: settings }),
    },
    connect: {
      get: () => http.request<StoredConnectSettings>('GET', '/v1/settings/connect'),
      put: (settings: ConnectSettings) =>
        http.request<StoredConnectSettings>('PUT', '/v1/settings/connect', { body: settings }),
    },
  };
}

/** `gatehouse.toolkits`: the built-in toolkits and the project's own (writes need an admin key). */
export function toolkitsApi(http: HttpClient) {
  return {
    list: () => http.request<Page<ToolkitSummary>>('GET', '/v1/toolkits'),
    get: (id: string) => http.request<ToolkitEntry>('GET', `/v1/toolkits/${seg(id)}`),
    /** Creates or replaces a custom toolkit (the catalog's toolkit schema). */
    put: (id: string, definition: Record<string, unknown>) =>
      http.request<ToolkitEntry>('PUT', `/v1/toolkits/${seg(id)}`, { body: definition }),
    delete: (id: string) => http.request<void>('DELETE', `/v1/toolkits/${seg(id)}`),
    /** Imports the selected operations of an OpenAPI document as a custom toolkit. */
    importOpenApi: (input: { openapi: Record<string, unknown>; selection: Record<string, unknown> }) =>
      http.request<ToolkitEntry>('POST', '/v1/toolkits/import-openapi', { body: input }),
    /** A shipped toolkit's released versions, newest first. */
    versions: (id: string) => http.request<ToolkitVersions>('GET', `/v1/toolkits/${seg(id)}/versions`),
    /** The definition of a shipped toolkit at one released version. */
    getVersion: (id: string, version: string) =>
      http.request<Record<string, unknown>>('GET', `/v1/toolkits/${seg(id)}/versions/${seg(version)}`),
    /** Keeps the project on this version of a shipped toolkit until unpinned (admin key). */
    pin: (id: string, version: string) =>
      http.request<ToolkitPin>('PUT', `/v1/toolkits/${seg(id)}/pin`, { body: { version } }),
    unpin: (id: string) => http.request<void>('DELETE', `/v1/toolkits/${seg(id)}/pin`),
  };
}

/** `gatehouse.providers`: the catalog's providers and the project's custom ones. */
export function providersApi(http: HttpClient) {
  return {
    list: () => http.request<Page<ProviderSummary>>('GET', '/v1/providers'),
    get: (id: string) => http.request<ProviderEntry>('GET', `/v1/providers/${seg(id)}`),
    /** Creates or replaces a custom provider (the catalog's provider schema); admin key. */
    put: (id: string, definition: Record<string, unknown>) =>
      http.request<ProviderEntry>('PUT', `/v1/providers/${seg(id)}`, { body: definition }),
    delete: (id: string) => http.request<void>('DELETE', `/v1/providers/${seg(id)}`),
  };
}
