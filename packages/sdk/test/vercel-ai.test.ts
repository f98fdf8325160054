import type { Sandbox } from '@gatehouse/sandbox';
import { generateText, stepCountIs } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../server/src/store/db.js';
import { example, setPolicies } from '../../server/test/governance/support.js';
import { projectWithConnectedUsers, sandboxFor, type Task } from '../../server/test/support/broker.js';
import { completeLink } from '../../server/test/support/connect.js';
import { startTestGatehouse, type TestGatehouse } from '../../server/test/support/gatehouse.js';
import { Gatehouse } from '../src/index.js';
import { createGatehouseTools } from '../src/vercel-ai/index.js';
import { flakyFront } from './support/flaky-front.js';
import { everythingSent, scriptedModel, toolResultsSeen } from './support/scripted-model.js';

let gh: TestGatehouse;
let sandbox: Sandbox;
let project: Awaited<ReturnType<typeof projectWithConnectedUsers>>;
let sdk: Gatehouse;
let aliceAccount: string;

beforeAll(async () => {
  gh = await startTestGatehouse(await openPglite());
  const started = await sandboxFor(gh);
  sandbox = started.sandbox;
  project = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice']);
  sdk = new Gatehouse({ baseUrl: gh.url, apiKey: project.apiKey, agentId: 'vercel-agent' });
  aliceAccount = project.accounts.alice!;
}, 300_000);
afterAll(async () => {
  await gh?.close();
  await sandbox?.close();
  await gh?.server.runtime.db.close();
});

/** Nothing the model saw may contain the project's API key or any token the provider issued. */
function expectNoSecrets(sent: string, apiKey = project.apiKey) {
  expect(sent).not.toContain(apiKey);
  const { accessTokens, refreshTokens } = sandbox.issuedTokens();
  expect(accessTokens.length).toBeGreaterThan(0);
  for (const token of [...accessTokens, ...refreshTokens]) expect(sent).not.toContain(token);
}

describe('Vercel AI SDK adapter: a model acts for a user through Gatehouse', () => {
  it('offers the acme tools under model-safe names with their JSON Schemas', async () => {
    const tools = await createGatehouseTools(sdk, { userId: 'alice', toolkits: ['acme'] });
    expect(Object.keys(tools).sort()).toEqual([
      'acme_me_get',
      'acme_tasks_create',
      'acme_tasks_delete',
      'acme_tasks_get',
      'acme_tasks_list',
      'acme_tasks_update',
    ]);
    const model = scriptedModel([{ text: 'nothing to do' }]);
    await generateText({ model, tools, prompt: 'hi' });
    const offered = model.doGenerateCalls[0]?.tools ?? [];
    expect(offered.find((t) => t.name === 'acme_tasks_create')).toMatchObject({
      type: 'function',
      inputSchema: { type: 'object', required: ['title'] },
    });
    const only = await createGatehouseTools(sdk, { userId: 'alice', tools: ['acme.tasks.list'] });
    expect(Object.keys(only)).toEqual(['acme_tasks_list']);
    await expect(
      createGatehouseTools(sdk, { userId: 'alice', tools: ['acme.tasks.fly'] }),
    ).rejects.toMatchObject({ code: 'tool_not_found' });
  });

  it('creates a task for alice; the model receives the created task', async () => {
    const model = scriptedModel([
      { toolCall: { name: 'acme_tasks_create', input: { title: 'ai: plan the offsite' } } },
      { text: 'Done: I added “ai: plan the offsite” to your tasks.' },
    ]);
    const result = await generateText({
      model,
      tools: await createGatehouseTools(sdk, { userId: 'alice', toolkits: ['acme'] }),
      stopWhen: stepCountIs(5),
      prompt: 'Add a task to plan the offsite',
    });
    expect(result.text).toBe('Done: I added “ai: plan the offsite” to your tasks.');
    expect(model.doGenerateCalls).toHaveLength(2);

    const [seen] = toolResultsSeen(model, 1);
    expect(seen).toMatchObject({
      toolName: 'acme_tasks_create',
      output: { type: 'json', value: { data: { title: 'ai: plan the offsite', ownerId: 'alice' } } },
    });
    const task = (seen!.output as { value: { data: Task } }).value.data;

    // The task really exists upstream, in alice's account, and the call is audited for the agent.
    const upstream = await sdk.proxy({
      connectedAccountId: aliceAccount,
      method: 'GET',
      path: `/tasks/${task.id}`,
    });
    expect(upstream).toMatchObject({ status: 200, body: { id: task.id, ownerId: 'alice' } });
    const audit = await sdk.audit.list({ agentId: 'vercel-agent', tool: 'acme.tasks.create' });
    expect(audit.items[0]).toMatchObject({ userId: 'alice', outcome: 'success' });

    expectNoSecrets(everythingSent(model));
    expectNoSecrets(JSON.stringify(result.response.messages));
  });

  it('an unconnected user: the model gets a connect URL to relay, and after connecting it works', async () => {
    const run = () => {
      const model = scriptedModel([
        { toolCall: { name: 'acme_tasks_create', input: { title: 'carol: fix the bike' } } },
        { text: 'ok' },
      ]);
      return { model, done: createGatehouseTools(sdk, { userId: 'carol', toolkits: ['acme'] }) };
    };
    const first = run();
    const firstResult = await generateText({
      model: first.model,
      tools: await first.done,
      stopWhen: stepCountIs(5),
      prompt: 'Remind me to fix the bike',
    });
    expect(firstResult.steps[0]?.content.some((p) => p.type === 'tool-error')).toBe(false);
    const [seen] = toolResultsSeen(first.model, 1);
    const value = (seen!.output as { type: string; value: Record<string, unknown> }).value;
    expect(value).toMatchObject({
      authorizationRequired: true,
      provider: 'sandbox',
      missingScopes: expect.arrayContaining(['tasks:write']),
      connectUrl: expect.stringContaining(`${gh.url}/connect/cl_`),
      message: expect.stringContaining('connect their sandbox account'),
    });
    expect(value.message).toContain(value.connectUrl);
    expectNoSecrets(everythingSent(first.model));

    // Carol opens the link the model relayed; the same request then succeeds.
    const done = await completeLink(value.connectUrl as string, { username: 'carol' });
    expect(done.status, done.text).toBe(200);
    const second = run();
    await generateText({
      model: second.model,
      tools: await second.done,
      stopWhen: stepCountIs(5),
      prompt: 'Remind me to fix the bike',
    });
    expect(toolResultsSeen(second.model, 1)[0]?.output).toMatchObject({
      value: { data: { title: 'carol: fix the bike' } },
    });
  });

  it('invalid arguments and a wrong account come back to the model as errors it can act on', async () => {
    const model = scriptedModel([
      { toolCall: { name: 'acme_tasks_create', input: { title: '' } } },
      { toolCall: { name: 'acme_tasks_list', input: {} } },
      { text: 'sorry' },
    ]);
    const tools = await createGatehouseTools(sdk, {
      userId: 'alice',
      toolkits: ['acme'],
      connectedAccountId: { 'acme.tasks.list': 'ca_not_alices' },
    });
    await generateText({ model, tools, stopWhen: stepCountIs(5), prompt: 'go' });
    expect(toolResultsSeen(model, 1)[0]?.output).toMatchObject({
      type: 'json',
      value: { error: { code: 'invalid_arguments', message: expect.stringContaining('title') } },
    });
    expect(toolResultsSeen(model, 2)[1]?.output).toMatchObject({
      type: 'json',
      value: { error: { code: 'not_found' } },
    });
  });

  it('a revoked API key surfaces as a tool error that names no secret', async () => {
    const created = await gh.call('POST', '/v1/api-keys', { key: project.apiKey, body: { name: 'short' } });
    const { id, key } = created.body as { id: string; key: string };
    const shortLived = new Gatehouse({ baseUrl: gh.url, apiKey: key });
    const tools = await createGatehouseTools(shortLived, { userId: 'alice', tools: ['acme.me.get'] });
    await gh.call('DELETE', `/v1/api-keys/${id}`, { key: project.apiKey });

    const model = scriptedModel([{ toolCall: { name: 'acme_me_get', input: {} } }, { text: 'hmm' }]);
    const result = await generateText({ model, tools, stopWhen: stepCountIs(5), prompt: 'who am I?' });
    const error = result.steps[0]?.content.find((p) => p.type === 'tool-error');
    expect(error).toMatchObject({ error: { name: 'AuthenticationError', code: 'api_key_revoked' } });
    expect(toolResultsSeen(model, 1)[0]?.output).toMatchObject({ type: 'error-text' });
    expectNoSecrets(everythingSent(model), key);
  });

  it('a write that needs approval: the model relays the link, and after approval the same call runs once', async () => {
    await setPolicies(gh, project.apiKey, [{ policies: example('approval-for-writes') }]);
    try {
      const run = async () => {
        const model = scriptedModel([
          { toolCall: { name: 'acme_tasks_create', input: { title: 'ai: book the venue' } } },
          { text: 'ok' },
        ]);
        const tools = await createGatehouseTools(sdk, { userId: 'alice', toolkits: ['acme'] });
        await generateText({ model, tools, stopWhen: stepCountIs(5), prompt: 'Book the venue' });
        return (toolResultsSeen(model, 1)[0]!.output as { value: Record<string, unknown> }).value;
      };
      const asked = await run();
      expect(asked).toMatchObject({
        approvalRequired: true,
        approvalId: expect.stringMatching(/^apr_/),
        approvalUrl: expect.stringContaining(`${gh.url}/approvals/apr_`),
        expiresAt: expect.any(String),
      });
      expect(asked.message).toContain(asked.approvalUrl);
      expect(await run()).toMatchObject({
        error: { code: 'approval_pending', approvalId: asked.approvalId },
      });

      // The app approves from its own UI, after authenticating alice, with an admin key.
      expect(await sdk.approvals.approve(asked.approvalId as string)).toMatchObject({ status: 'approved' });
      expect(await run()).toMatchObject({ data: { title: 'ai: book the venue', ownerId: 'alice' } });
      // Used: the next identical call needs a new approval.
      const again = await run();
      expect(again).toMatchObject({ approvalRequired: true });
      expect(again.approvalId).not.toBe(asked.approvalId);
    } finally {
      await setPolicies(gh, project.apiKey, []);
    }
  });

  it('a transient failure between the app and Gatehouse is retried, and the tool runs once', async () => {
    const front = await flakyFront(gh.url, { failures: 1, method: 'POST' });
    try {
      const behind = new Gatehouse({ baseUrl: front.url, apiKey: project.apiKey, agentId: 'vercel-retry' });
      const model = scriptedModel([
        { toolCall: { name: 'acme_tasks_create', input: { title: 'ai: despite a restart' } } },
        { text: 'ok' },
      ]);
      const tools = await createGatehouseTools(behind, { userId: 'alice', tools: ['acme.tasks.create'] });
      await generateText({ model, tools, stopWhen: stepCountIs(5), prompt: 'go' });
      expect(toolResultsSeen(model, 1)[0]?.output).toMatchObject({
        value: { data: { title: 'ai: despite a restart' } },
      });
      expect(front.seen.filter((s) => s.startsWith('POST'))).toHaveLength(2);
      const audit = await sdk.audit.list({ agentId: 'vercel-retry', tool: 'acme.tasks.create' });
      expect(audit.items.map((e) => e.outcome)).toEqual(['success']);
    } finally {
      await front.close();
    }
  });
});
