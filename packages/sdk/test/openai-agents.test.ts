import { Agent, Runner } from '@openai/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeLink } from '../../server/test/support/connect.js';
import { createGatehouseTools } from '../src/openai-agents/index.js';
import { type AdapterWorld, startAdapterWorld } from './support/adapter-world.js';
import { providerOf, ScriptedModel, type Step } from './support/agents-model.js';

let w: AdapterWorld;
beforeAll(async () => {
  w = await startAdapterWorld('openai-agent');
}, 300_000);
afterAll(async () => {
  await w?.close();
});

/** One OpenAI Agents SDK run for `userId`, on the scripted model. */
async function runAgent(userId: string, steps: Step[]) {
  const model = new ScriptedModel(steps);
  const agent = new Agent({
    name: 'assistant',
    instructions: 'Help the user with their tasks.',
    tools: await createGatehouseTools(w.sdk, { userId, toolkits: ['acme'] }),
  });
  const runner = new Runner({ modelProvider: providerOf(model), tracingDisabled: true });
  const result = await runner.run(agent, 'please help');
  return { model, result };
}

describe('OpenAI Agents SDK adapter: an agent acts for a user through Gatehouse', () => {
  it('offers the acme tools as function tools with their JSON Schemas', async () => {
    const { model } = await runAgent('alice', [{ text: 'nothing to do' }]);
    const offered = model.requests[0]!.tools;
    expect(offered.map((t) => t.name).sort()).toEqual([
      'acme_me_get',
      'acme_tasks_create',
      'acme_tasks_delete',
      'acme_tasks_get',
      'acme_tasks_list',
      'acme_tasks_update',
    ]);
    expect(offered.find((t) => t.name === 'acme_tasks_create')).toMatchObject({
      type: 'function',
      strict: false,
      parameters: { type: 'object', required: ['title'] },
    });
  });

  it('creates a task for alice; the model receives the created task', async () => {
    const { model, result } = await runAgent('alice', [
      { toolCall: { name: 'acme_tasks_create', input: { title: 'oa: plan the offsite' } } },
      { text: 'Done.' },
    ]);
    expect(result.finalOutput).toBe('Done.');
    const [seen] = model.toolResultsSeen(1);
    expect(seen).toMatchObject({ data: { title: 'oa: plan the offsite', ownerId: 'alice' } });
    const audit = await w.sdk.audit.list({ agentId: 'openai-agent', tool: 'acme.tasks.create' });
    expect(audit.items[0]).toMatchObject({ userId: 'alice', outcome: 'success' });
    w.expectNoSecrets(model.everythingSent());
  });

  it('an unconnected user: the model gets a connect URL to relay, never a token', async () => {
    const call: Step = { toolCall: { name: 'acme_tasks_list', input: {} } };
    const { model } = await runAgent('bob', [call, { text: 'ok' }]);
    const [seen] = model.toolResultsSeen(1);
    expect(seen).toMatchObject({
      authorizationRequired: true,
      connectUrl: expect.stringContaining(`${w.gh.url}/connect/cl_`),
    });
    expect(seen?.message).toContain(seen?.connectUrl);
    w.expectNoSecrets(model.everythingSent());
    const done = await completeLink(seen!.connectUrl as string, { username: 'bob' });
    expect(done.status, done.text).toBe(200);
    const again = await runAgent('bob', [call, { text: 'ok' }]);
    expect(again.model.toolResultsSeen(1)[0]).toMatchObject({ data: expect.any(Array) });
  });

  it('approval round trip: the model relays the approval URL; once approved, the same call runs once', async () => {
    await w.withApprovalForWrites(async () => {
      const call: Step = { toolCall: { name: 'acme_tasks_create', input: { title: 'oa: book the venue' } } };
      const asked = (await runAgent('alice', [call, { text: 'ok' }])).model.toolResultsSeen(1)[0]!;
      expect(asked).toMatchObject({
        approvalRequired: true,
        approvalId: expect.stringMatching(/^apr_/),
        approvalUrl: expect.stringContaining(`${w.gh.url}/approvals/apr_`),
      });
      expect(asked.message).toContain(asked.approvalUrl);
      await w.sdk.approvals.approve(asked.approvalId as string);
      const ran = (await runAgent('alice', [call, { text: 'ok' }])).model.toolResultsSeen(1)[0];
      expect(ran).toMatchObject({ data: { title: 'oa: book the venue', ownerId: 'alice' } });
      const again = (await runAgent('alice', [call, { text: 'ok' }])).model.toolResultsSeen(1)[0];
      expect(again).toMatchObject({ approvalRequired: true });
      expect(again?.approvalId).not.toBe(asked.approvalId);
    });
  });
});
