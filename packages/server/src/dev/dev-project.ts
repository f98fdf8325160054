import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSecretFile } from '../config/dev-secrets.js';
import type { Runtime } from '../runtime.js';

export interface DevProject {
  projectId: string;
  apiKey: string;
}

/**
 * Development only: one project with an API key kept in the data dir, so the quickstart can print
 * a working key on every start. Recreated if the database was reset underneath the file.
 */
export async function ensureDevProject(rt: Runtime): Promise<DevProject> {
  const file = join(rt.config.dataDir, 'dev-project.json');
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as DevProject;
    const auth = await rt.apiKeys.authenticate(saved.apiKey);
    if (auth.ok && auth.value.projectId === saved.projectId) return saved;
  }
  const project = await rt.projects.create('Development');
  const { secret } = await rt.apiKeys.create(project.id, 'development');
  const dev = { projectId: project.id, apiKey: secret };
  writeSecretFile(file, `${JSON.stringify(dev, null, 2)}\n`);
  return dev;
}
