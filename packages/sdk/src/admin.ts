import type { ApiKeyWithSecret, Project } from './admin-types.js';
import { type ClientOptions, HttpClient } from './http.js';
import { paginate } from './pagination.js';
import type { Page } from './types.js';

export interface AdminClientOptions extends Omit<ClientOptions, 'apiKey' | 'agentId'> {
  /** The instance admin token (`GATEHOUSE_ADMIN_TOKEN` of the server). */
  adminToken: string;
}

/** The instance admin API (`/v1/admin/*`): create and list projects. Operators only. */
export class GatehouseAdmin {
  private readonly http: HttpClient;
  readonly projects;

  constructor(options: AdminClientOptions) {
    const { adminToken, ...rest } = options;
    this.http = new HttpClient({ ...rest, apiKey: adminToken });
    const list = (q: { cursor?: string; limit?: number } = {}) =>
      this.http.request<Page<Project>>('GET', '/v1/admin/projects', { query: q });
    this.projects = {
      /** A new project and its first admin key (`apiKey.key`, shown this once). */
      create: (input: { name: string }) =>
        this.http.request<{ project: Project; apiKey: ApiKeyWithSecret }>('POST', '/v1/admin/projects', {
          body: input,
        }),
      list,
      iterate: (q: { limit?: number } = {}) => paginate(list, q),
    };
  }
}
