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
