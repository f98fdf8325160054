import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

// Trello's app key (settings.apiKey, sensitive in trello.json) is sent on every call; an agent holding
// a runtime key must not be able to read it, and no answer, audit row, event or log line carries it.

const APP_KEY = 'K'.repeat(20) + '7'.repeat(20);
const NEW_KEY = 'N'.repeat(20) + '8'.repeat(20);

describeEachDatabase('sensitive auth-config settings are write-only', (t) => {
  let gh: TestGatehouse;
  let admin: string;
  let runtime: string;
  let projectId: string;
  let id: string;
  const answers: string[] = [];
  const call = async (...args: Parameters<TestGatehouse['call']>) => {
    const res = await gh.call(...args);
    answers.push(res.text);
    return res;
  };

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    const project = await gh.createProject('sensitive');
    admin = project.apiKey;
    projectId = project.projectId;
    const key = await call('POST', '/v1/api-keys', { key: admin, body: { name: 'agent', role: 'runtime' } });
    expect(key.status, key.text).toBe(201);
    runtime = (key.body as { key: string }).key;
    const created = await call('POST', '/v1/auth-configs', {
      key: admin,
      body: { providerId: 'trello', settings: { apiKey: APP_KEY } },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ settings: {}, sensitiveSettings: ['apiKey'] });
    id = (created.body as { id: string }).id;
  });
  afterAll(async () => {
    await gh?.close();
  });

  it('a runtime key lists and reads the config without the value, only its name', async () => {
    const list = await call('GET', '/v1/auth-configs?providerId=trello', { key: runtime });
    expect(list.status, list.text).toBe(200);
    expect((list.body as { items: unknown[] }).items[0]).toMatchObject({
      settings: {},
      sensitiveSettings: ['apiKey'],
    });
    const one = await call('GET', `/v1/auth-configs/${id}`, { key: runtime });
    expect(one.status, one.text).toBe(200);
    expect(one.body).toMatchObject({ settings: {}, sensitiveSettings: ['apiKey'] });
  });

  it('the admin key does not read it either (write-only, as the client secret)', async () => {
    const one = await call('GET', `/v1/auth-configs/${id}`, { key: admin });
    expect(one.body).toMatchObject({ settings: {}, sensitiveSettings: ['apiKey'] });
  });

  it('the value is still what calls use, and a PATCH that omits it keeps it', async () => {
    const patched = await call('PATCH', `/v1/auth-configs/${id}`, {
      key: admin,
      body: { name: 'Trello (renamed)', settings: {} },
    });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.body).toMatchObject({ name: 'Trello (renamed)', sensitiveSettings: ['apiKey'] });
    const loaded = await gh.server.runtime.authConfigs.load(projectId, id);
    expect(loaded.ok && loaded.value.provider.settings.apiKey).toBe(APP_KEY);
  });

  it('sending it replaces it; sending "" clears it (refused here: Trello requires one)', async () => {
    const replaced = await call('PATCH', `/v1/auth-configs/${id}`, {
      key: admin,
      body: { settings: { apiKey: NEW_KEY } },
    });
    expect(replaced.status, replaced.text).toBe(200);
    const loaded = await gh.server.runtime.authConfigs.load(projectId, id);
    expect(loaded.ok && loaded.value.provider.settings.apiKey).toBe(NEW_KEY);
    const cleared = await call('PATCH', `/v1/auth-configs/${id}`, {
      key: admin,
      body: { settings: { apiKey: '' } },
    });
    expect(cleared.status, cleared.text).toBe(400);
    expect(cleared.text).toContain('settings.apiKey is required');
  });

  it('no answer, audit row, event or log line holds either value', async () => {
    const audit = await call('GET', '/v1/audit/export?format=ndjson', { key: admin });
    expect(audit.status).toBe(200);
    expect(audit.text).toContain('admin.auth_config.updated');
    const events = await gh.server.runtime.db.query('SELECT data FROM events WHERE project_id = $1', [
      projectId,
    ]);
    const everything = [...answers, JSON.stringify(events.rows), gh.logs.text()].join('\n');
    expect(answers.length).toBeGreaterThan(6);
    for (const value of [APP_KEY, NEW_KEY]) expect(everything).not.toContain(value);
  });
});
