import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSecretFile } from '../config/dev-secrets.js';
import type { Runtime } from '../runtime.js';

export interface DevProject {
  projectId: string;
  apiKey: string;
}

/**
 * Development only: one project per database, with an API key kept in the data dir, so the
 * quickstart can print a working key on every start. Which project it is lives in the database
 * (`projects.development`); the data dir keeps one key per development project it has seen, so
 * switching between embedded PGlite and PostgreSQL (one data dir, two databases) finds each
 * database's own project again instead of creating another.
 */
export async function ensureDevProject(rt: Runtime): Promise<DevProject> {
  const file = join(rt.config.dataDir, 'dev-project.json');
  const keys = savedKeys(file);
  const opens = async (projectId: string, apiKey: string | undefined): Promise<boolean> => {
    if (!apiKey) return false;
    const auth = await rt.apiKeys.authenticate(apiKey);
    return auth.ok && auth.value.projectId === projectId;
  };
  let project = await rt.projects.development();
  if (!project) {
    // A database from before the marker: adopt the project a saved key opens, if there is one.
    for (const [projectId, apiKey] of Object.entries(keys))
      if (await opens(projectId, apiKey)) {
        project = await rt.projects.claimDevelopment({ id: projectId });
        break;
      }
  }
  project ??= await rt.projects.claimDevelopment({ name: 'Development' });
  const saved = keys[project.id];
  if (saved && (await opens(project.id, saved))) return { projectId: project.id, apiKey: saved };
  // The key file was lost or reset: the project stays, it gets a new key.
  const { secret } = await rt.apiKeys.create(project.id, 'development', 'admin');
  writeSecretFile(file, `${JSON.stringify({ apiKeys: { ...keys, [project.id]: secret } }, null, 2)}\n`);
  return { projectId: project.id, apiKey: secret };
}

/** Project id → API key; the file once held a single `{projectId, apiKey}`, read as one entry. */
function savedKeys(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const saved = JSON.parse(readFileSync(file, 'utf8')) as {
    apiKeys?: Record<string, string>;
    projectId?: string;
    apiKey?: string;
  };
  if (saved.apiKeys) return saved.apiKeys;
  return saved.projectId && saved.apiKey ? { [saved.projectId]: saved.apiKey } : {};
}
