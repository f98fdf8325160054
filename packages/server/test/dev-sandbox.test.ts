import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureDevProject } from '../src/dev/dev-project.js';
import { type DevSandbox, startDevSandbox } from '../src/dev/dev-sandbox.js';
import { openPglite } from '../src/store/db.js';
import { connectUser } from './support/connect.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

let gh: TestGatehouse;
let sandbox: DevSandbox | undefined;
afterAll(async () => {
  await sandbox?.close();
  await gh?.close();
  await gh?.server.runtime.db.close();
});
beforeAll(async () => {
  gh = await startTestGatehouse(await openPglite());
});

it('the quickstart registers the sandbox in the dev project, so a user connects with no setup', async () => {
  const rt = gh.server.runtime;
  const dev = await ensureDevProject(rt);
  sandbox = await startDevSandbox(rt, dev.projectId);
  const outcome = await connectUser(
    gh,
    dev.apiKey,
    { userId: 'alice', authConfigId: sandbox.authConfigId },
    { username: 'alice' },
  );
  expect(outcome.link.status).toBe('COMPLETED');
  // A second start (restart) reuses the dev project, its key and the same auth config.
  const firstAuthConfigId = sandbox.authConfigId;
  await sandbox.close();
  expect(await ensureDevProject(rt)).toEqual(dev);
  sandbox = await startDevSandbox(rt, dev.projectId);
  expect(sandbox.authConfigId).toBe(firstAuthConfigId);
});

it('switching databases under one data dir finds each database’s own dev project again', async () => {
  // As when an operator alternates embedded PGlite and GATEHOUSE_DATABASE_URL with one ./.gatehouse.
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-dev-'));
  const embedded = await startTestGatehouse(await openPglite(), { GATEHOUSE_DATA_DIR: dataDir });
  const other = await startTestGatehouse(await openPglite(), { GATEHOUSE_DATA_DIR: dataDir });
  try {
    const developmentProjects = async (g: TestGatehouse) =>
      (await g.server.runtime.projects.list({ limit: 50 })).items.filter((p) => p.name === 'Development');
    const first = await ensureDevProject(embedded.server.runtime);
    const second = await ensureDevProject(other.server.runtime);
    expect(second.projectId).not.toBe(first.projectId);
    expect(await ensureDevProject(embedded.server.runtime)).toEqual(first);
    expect(await ensureDevProject(other.server.runtime)).toEqual(second);
    expect(await developmentProjects(embedded)).toHaveLength(1);
    expect(await developmentProjects(other)).toHaveLength(1);
  } finally {
    for (const g of [embedded, other]) {
      await g.close();
      await g.server.runtime.db.close();
    }
  }
});

it('a dev project saved by an earlier version is adopted, not duplicated', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-dev-'));
  const g = await startTestGatehouse(await openPglite(), { GATEHOUSE_DATA_DIR: dataDir });
  try {
    const rt = g.server.runtime;
    const project = await rt.projects.create('Development');
    const { secret } = await rt.apiKeys.create(project.id, 'development', 'admin');
    writeFileSync(
      join(dataDir, 'dev-project.json'),
      JSON.stringify({ projectId: project.id, apiKey: secret }),
    );
    expect(await ensureDevProject(rt)).toEqual({ projectId: project.id, apiKey: secret });
    expect((await rt.projects.list({ limit: 50 })).items).toHaveLength(1);
  } finally {
    await g.close();
    await g.server.runtime.db.close();
  }
});
