import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { slackLocalProvider, startLoopbackSlack } from './support/loopback-slack.js';

// Slack answers a refused token with HTTP 200 and {"ok": false, "error": "token_revoked"}. The health
// probe reads that body through the shipped slack.json (api.errorBody, credentialErrors), as execute
// does, on a loopback Slack whose auth.test answer each test sets.

const TOKEN = `xoxp-${'3'.repeat(40)}`;
let authTest: unknown = { ok: true, user_id: 'U1', user: 'alice' };

describeEachDatabase('health probe: Slack ok:false answers', (t) => {
  let gh: TestGatehouse;
  let slack: Awaited<ReturnType<typeof startLoopbackSlack>>;
  let key: string;
  let projectId: string;
  let authConfigId: string;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db(), { GATEHOUSE_REFRESHER_ENABLED: 'false' });
    slack = await startLoopbackSlack(TOKEN, (method) => (method === 'auth.test' ? authTest : undefined));
    const project = await gh.createProject('probe-slack');
    key = project.apiKey;
    projectId = project.projectId;
    const put = await gh.call('PUT', '/v1/providers/slack-local', {
      key,
      body: slackLocalProvider(slack.url),
    });
    expect(put.status, put.text).toBe(200);
    const ac = await gh.call('POST', '/v1/auth-configs', { key, body: { providerId: 'slack-local' } });
    expect(ac.status, ac.text).toBe(201);
    authConfigId = (ac.body as { id: string }).id;
  });
  afterAll(async () => {
    await gh?.close();
    slack?.close();
  });

  /** A fresh connection (auth.test answers ok:true while connecting), as the store reads it. */
  async function connect(userId: string) {
    authTest = { ok: true, user_id: 'U1', user: userId };
    const res = await gh.call('POST', '/v1/connected-accounts', {
      key,
      body: { userId, authConfigId, credentials: { type: 'bearer', token: TOKEN } },
    });
    expect(res.status, res.text).toBe(201);
    const id = (res.body as { id: string }).id;
    return (await gh.server.runtime.accountStore.get(projectId, id))!;
  }
  const probe = (account: Awaited<ReturnType<typeof connect>>) =>
    gh.server.runtime.workers.healthProbe.probe(account);

  it('ok:true is healthy', async () => {
    const account = await connect('alice');
    expect(await probe(account)).toBe('healthy');
  });

  it('ok:false token_revoked (HTTP 200) revokes the account, as a refused credential', async () => {
    const account = await connect('bob');
    authTest = { ok: false, error: 'token_revoked' };
    expect(await probe(account)).toBe('revoked');
    const after = (await gh.server.runtime.accountStore.get(projectId, account.id))!;
    expect(after.status).toBe('REVOKED');
    expect(after.statusReason).toContain('token_revoked');
    const events = await gh.server.runtime.db.query<{ type: string }>(
      "SELECT type FROM events WHERE project_id = $1 AND type = 'connection.revoked' AND connected_account_id = $2",
      [projectId, account.id],
    );
    expect(events.rows).toHaveLength(1);
    expect(JSON.stringify(after)).not.toContain(TOKEN);
  });

  it('ok:false invalid_auth revokes too', async () => {
    const account = await connect('carol');
    authTest = { ok: false, error: 'invalid_auth' };
    expect(await probe(account)).toBe('revoked');
    expect((await gh.server.runtime.accountStore.get(projectId, account.id))!.status).toBe('REVOKED');
  });

  it('ok:false for another reason is not healthy, and leaves the account ACTIVE', async () => {
    const account = await connect('dave');
    authTest = { ok: false, error: 'ratelimited' };
    expect(await probe(account)).toBe('inconclusive');
    expect((await gh.server.runtime.accountStore.get(projectId, account.id))!.status).toBe('ACTIVE');
  });
});
