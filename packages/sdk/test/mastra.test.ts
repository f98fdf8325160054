import { Agent } from '@mastra/core/agent';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeLink } from '../../server/test/support/connect.js';
import { createGatehouseTools } from '../src/mastra/index.js';
import { type AdapterWorld, startAdapterWorld } from './support/adapter-world.js';
import { type Step, scriptedModel } from './support/mastra-model.js';

let w: AdapterWorld;
beforeAll(async () => {
  w = await startAdapterWorld('mastra-agent');
}, 300_000);
afterAll(async () => {
  await w?.close();
});

/** One Mastra agent run for `userId`, on the scripted model. */
async function runAgent(userId: string, steps: Step[]) {
  const scripted = scriptedModel(steps);
  const agent = new Agent({
    name: 'assistant',
    instructions: 'Help the user with their tasks.',
    model: scripted.model,
    tools: await createGatehouseTools(w.sdk, { userId, toolkits: ['acme'] }),
  });
  const result = await agent.generate('please help', { maxSteps: 5 });
  /** The JSON the model was given for its first tool call (Mastra wraps it as AI SDK v2 output). */
  const firstResult = () => {
    const output = scripted.toolResultsSeen(1)[0]?.output as { type: string; value: Record<string, unknown> };
    expect(output?.type).toBe('json');
    return output.value;
  };
  return { ...scripted, result, firstResult };
}

describe('Mastra adapter: a Mastra agent acts for a user through Gatehouse', () => {
  it('offers the acme tools (createTool) with their JSON Schemas', async () => {
    const tools = await createGatehouseTools(w.sdk, { userId: 'alice', toolkits: ['acme'] });
    expect(Object.keys(tools).sort()).toEqual([
      'acme_me_get',
      'acme_tasks_create',
      'acme_tasks_delete',
      'acme_tasks_get',
      'acme_tasks_list',
      'acme_tasks_update',
    ]);
    const { prompts } = await runAgent('alice', [{ text: 'nothing to do' }]);
    const offered = prompts[0]?.tools ?? [];
    expect(offered.find((t) => t.name === 'acme_tasks_create')).toMatchObject({
      type: 'function',
      inputSchema: { type: 'object', required: ['title'], properties: { title: { type: 'string' } } },
    });
  });

  it('creates a task for alice; the model receives the created task', async () => {
    const run = await runAgent('alice', [
      { toolCall: { name: 'acme_tasks_create', input: { title: 'ma: plan the offsite' } } },
      { text: 'Done.' },
    ]);
    expect(run.result.text).toBe('Done.');
    expect(run.firstResult()).toMatchObject({ data: { title: 'ma: plan the offsite', ownerId: 'alice' } });
    const audit = await w.sdk.audit.list({ agentId: 'mastra-agent', tool: 'acme.tasks.create' });
    expect(audit.items[0]).toMatchObject({ userId: 'alice', outcome: 'success' });
    w.expectNoSecrets(run.everythingSent());
  });

  it('an unconnected user: the model gets a connect URL to relay, never a token', async () => {
    const call: Step = { toolCall: { name: 'acme_tasks_list', input: {} } };
    const run = await runAgent('bob', [call, { text: 'ok' }]);
    const seen = run.firstResult();
    expect(seen).toMatchObject({
      authorizationRequired: true,
      connectUrl: expect.stringContaining(`${w.gh.url}/connect/cl_`),
    });
    expect(seen.message).toContain(seen.connectUrl);
    w.expectNoSecrets(run.everythingSent());
    const done = await completeLink(seen.connectUrl as string, { username: 'bob' });
    expect(done.status, done.text).toBe(200);
    expect((await runAgent('bob', [call, { text: 'ok' }])).firstResult()).toMatchObject({
      data: expect.any(Array),
    });
  });

  it('approval round trip: the model relays the approval URL; once approved, the same call runs once', async () => {
    await w.withApprovalForWrites(async () => {
      const call: Step = { toolCall: { name: 'acme_tasks_create', input: { title: 'ma: book the venue' } } };
      const asked = (await runAgent('alice', [call, { text: 'ok' }])).firstResult();
      expect(asked).toMatchObject({
        approvalRequired: true,
        approvalId: expect.stringMatching(/^apr_/),
        approvalUrl: expect.stringContaining(`${w.gh.url}/approvals/apr_`),
      });
      expect(asked.message).toContain(asked.approvalUrl);
      await w.sdk.approvals.approve(asked.approvalId as string);
      expect((await runAgent('alice', [call, { text: 'ok' }])).firstResult()).toMatchObject({
        data: { title: 'ma: book the venue', ownerId: 'alice' },
      });
      expect((await w.sdk.approvals.get(asked.approvalId as string)).status).toBe('executed');
    });
  });
});
