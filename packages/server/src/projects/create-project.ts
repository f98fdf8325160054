import type { AuditLog } from '../audit/audit-log.js';
import type { Db } from '../store/db.js';
import type { ApiKey, ApiKeyStore } from './api-keys.js';
import type { Project, ProjectStore } from './projects.js';

export interface CreateProjectDeps {
  db: Db;
  projects: ProjectStore;
  apiKeys: ApiKeyStore;
  audit: AuditLog;
}

/**
 * A project and its first admin key, in one change with the audit row that starts the project's
 * trail: who minted that key (`by`: `admin_token` over REST, `console:<operator>`, `cli`) and through
 * which door (`detail.via`). Every door that creates projects comes here, so none forgets the row.
 */
export function createProject(
  d: CreateProjectDeps,
  name: string,
  by: string,
  detail: { via: 'api' | 'console' | 'cli'; operator?: string },
): Promise<{ project: Project; apiKey: ApiKey; secret: string }> {
  return d.db.atomically(async () => {
    const project = await d.projects.create(name);
    const { apiKey, secret } = await d.apiKeys.create(project.id, 'default', 'admin');
    await d.audit.admin(
      { projectId: project.id, apiKeyId: by, role: 'admin', agentId: null },
      'admin.api_key.created',
      { keyId: apiKey.id, name: apiKey.name, role: apiKey.role, ...detail },
    );
    return { project, apiKey, secret };
  });
}
