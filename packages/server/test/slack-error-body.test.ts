import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from './support/databases.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';
import { slackLocalProvider, startLoopbackSlack } from './support/loopback-slack.js';

// Slack's Web API answers failures with HTTP 200 and {"ok": false, "error": "..."}. The shipped
// slack.json declares that as api.errorBody; its api block runs here against a loopback Slack.

const TOKEN = `xoxp-${'1'.repeat(40)}`;

const toolkit = {
  id: 'slack_local',
  displayName: 'Slack (local)',
  provider: 'slack-local',
  tools: [
    {
      slug: 'slack_local.conversations.info',
      name: 'Get a channel',
      description: 'Returns a channel by id.',
      input: {
        type: 'object',
        properties: { channel: { type: 'string', minLength: 1 } },
        required: ['channel'],
        additionalProperties: false,
      },
      scopes: [],
      risk: 'read',
      http: { method: 'GET', path: '/conversations.info', query: { channel: 'channel' } },
      output: { root: 'channel' },
    },
  ],
};

describeEachDatabase('Slack ok:false answers', (t) => {
  let gh: TestGatehouse;
  let slack: Awaited<ReturnType<typeof startLoopbackSlack>>;
  let key: string;

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db(), { GATEHOUSE_REFRESHER_ENABLED: 'false' });
    slack = await startLoopbackSlack(TOKEN, (method, query) => {
      if (method === 'auth.test') return { ok: true, user_id: 'U1', user: 'alice' };
      if (method !== 'conversations.info') return undefined;
      return query.get('channel') === 'C1'
        ? { ok: true, channel: { id: 'C1', name: 'general' } }
        : { ok: false, error: 'channel_not_found' };
    });
    key = (await gh.createProject('slack')).apiKey;
    const put = await gh.call('PUT', '/v1/providers/slack-local', {
      key,
      body: slackLocalProvider(slack.url),
    });
    expect(put.status, put.text).toBe(200);
    const tk = await gh.call('PUT', '/v1/toolkits/slack_local', { key, body: toolkit });
    expect(tk.status, tk.text).toBe(200);
    const ac = await gh.call('POST', '/v1/auth-configs', { key, body: { providerId: 'slack-local' } });
    expect(ac.status, ac.text).toBe(201);
    const connected = await gh.call('POST', '/v1/connected-accounts', {
      key,
      body: {
        userId: 'alice',
        authConfigId: (ac.body as { id: string }).id,
        credentials: { type: 'bearer', token: TOKEN },
      },
    });
    expect(connected.status, connected.text).toBe(201);
  });
  afterAll(async () => {
    await gh?.close();
    slack?.close();
  });

  const info = (channel: string) =>
    gh.call('POST', '/v1/tools/slack_local.conversations.info/execute', {
      key,
      body: { userId: 'alice', arguments: { channel } },
    });

  it('a token Slack answers ok:false (invalid_auth) to is refused at connect, with HTTP 200', async () => {
    const wrong = `xoxp-${'2'.repeat(40)}`;
    const ac = await gh.call('GET', '/v1/auth-configs?providerId=slack-local', { key });
    const authConfigId = (ac.body as { items: Array<{ id: string }> }).items[0]!.id;
    const res = await gh.call('POST', '/v1/connected-accounts', {
      key,
      body: { userId: 'bob', authConfigId, credentials: { type: 'bearer', token: wrong } },
    });
    expect(res.status, res.text).toBe(422);
    expect((res.body as { error: { code: string } }).error.code).toBe('credential_rejected');
    expect(res.text).not.toContain(wrong);
  });

  it('an ok:true answer is a success', async () => {
    const res = await info('C1');
    expect(res.body, res.text).toMatchObject({ successful: true, data: { id: 'C1', name: 'general' } });
  });

  it('an HTTP 200 with ok:false is a failed upstream_error carrying Slack’s error code', async () => {
    const res = await info('C404');
    expect(res.body, res.text).toMatchObject({
      successful: false,
      data: null,
      error: {
        code: 'upstream_error',
        message: expect.stringContaining('channel_not_found'),
        details: { status: 200, body: { ok: false, error: 'channel_not_found' } },
      },
    });
    expect(res.text).not.toContain(TOKEN);
  });
});
