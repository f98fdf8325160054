import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../server/test/support/broker.js';
import { completeLink } from '../../server/test/support/connect.js';
import { createGatehouseTools } from '../src/langchain/index.js';
import { type AdapterWorld, startAdapterWorld } from './support/adapter-world.js';
import { ScriptedChatModel, type Step } from './support/langchain-model.js';

let w: AdapterWorld;
beforeAll(async () => {
  w = await startAdapterWorld('langgraph-agent');
}, 300_000);
afterAll(async () => {
  await w?.close();
});

/** One LangGraph.js ReAct loop for `userId`, driven by the scripted fake chat model. */
async function runAgent(userId: string, steps: Step[]) {
  const model = new ScriptedChatModel(steps);
  const tools = await createGatehouseTools(w.sdk, { userId, toolkits: ['acme'] });
  const agent = createReactAgent({ llm: model, tools });
  const state = await agent.invoke({ messages: [{ role: 'user', content: 'please help' }] });
  return { model, tools, state };
}

describe('LangChain.js adapter: a LangGraph.js agent acts for a user through Gatehouse', () => {
  it('offers the acme tools as LangChain tools with their JSON Schemas', async () => {
    const tools = await createGatehouseTools(w.sdk, { userId: 'alice', toolkits: ['acme'] });
    expect(tools.map((t) => t.name).sort()).toEqual([
      'acme_me_get',
      'acme_tasks_create',
      'acme_tasks_delete',
      'acme_tasks_get',
      'acme_tasks_list',
      'acme_tasks_update',
    ]);
    const create = tools.find((t) => t.name === 'acme_tasks_create')!;
    expect(create.schema).toMatchObject({ type: 'object', required: ['title'] });
    const { model } = await runAgent('alice', [{ text: 'nothing to do' }]);
    expect(model.bound.map((t) => t.name)).toContain('acme_tasks_create');
  });

  it('creates a task for alice in an agent loop; the model receives the created task', async () => {
    const { model, state } = await runAgent('alice', [
      { toolCall: { name: 'acme_tasks_create', args: { title: 'lc: plan the offsite' } } },
      { text: 'Done.' },
    ]);
    expect(model.calls).toHaveLength(2);
    const [seen] = model.toolResultsSeen(1);
    expect(seen).toMatchObject({
      name: 'acme_tasks_create',
      content: { data: { title: 'lc: plan the offsite', ownerId: 'alice' } },
    });
    expect(String(state.messages.at(-1)?.content)).toBe('Done.');
    const task = (seen!.content as { data: Task }).data;
    const upstream = await w.sdk.proxy({
      connectedAccountId: w.aliceAccount,
      method: 'GET',
      path: `/tasks/${task.id}`,
    });
    expect(upstream).toMatchObject({ status: 200, body: { id: task.id, ownerId: 'alice' } });
    const audit = await w.sdk.audit.list({ agentId: 'langgraph-agent', tool: 'acme.tasks.create' });
    expect(audit.items[0]).toMatchObject({ userId: 'alice', outcome: 'success' });
    w.expectNoSecrets(model.everythingSent());
  });

  it('an unconnected user: the model gets a connect URL to relay, never a token', async () => {
    const { model } = await runAgent('carol', [
      { toolCall: { name: 'acme_tasks_create', args: { title: 'carol: fix the bike' } } },
      { text: 'ok' },
    ]);
    const [seen] = model.toolResultsSeen(1);
    expect(seen?.content).toMatchObject({
      authorizationRequired: true,
      provider: 'sandbox',
      connectUrl: expect.stringContaining(`${w.gh.url}/connect/cl_`),
    });
    expect(seen?.content.message).toContain(seen?.content.connectUrl);
    w.expectNoSecrets(model.everythingSent());
    const done = await completeLink(seen!.content.connectUrl as string, { username: 'carol' });
    expect(done.status, done.text).toBe(200);
    const again = await runAgent('carol', [
      { toolCall: { name: 'acme_tasks_create', args: { title: 'carol: fix the bike' } } },
      { text: 'ok' },
    ]);
    expect(again.model.toolResultsSeen(1)[0]?.content).toMatchObject({
      data: { title: 'carol: fix the bike' },
    });
  });

  it('approval round trip: the model relays the approval URL; once approved, the same call runs once', async () => {
    await w.withApprovalForWrites(async () => {
      const call: Step = { toolCall: { name: 'acme_tasks_create', args: { title: 'lc: book the venue' } } };
      const asked = (await runAgent('alice', [call, { text: 'ok' }])).model.toolResultsSeen(1)[0]!.content;
      expect(asked).toMatchObject({
        approvalRequired: true,
        approvalId: expect.stringMatching(/^apr_/),
        approvalUrl: expect.stringContaining(`${w.gh.url}/approvals/apr_`),
      });
      expect(asked.message).toContain(asked.approvalUrl);
      expect(
        (await runAgent('alice', [call, { text: 'ok' }])).model.toolResultsSeen(1)[0]?.content,
      ).toMatchObject({
        error: { code: 'approval_pending', approvalId: asked.approvalId },
      });
      await w.sdk.approvals.approve(asked.approvalId as string, { approver: 'lead@acme.test' });
      const ran = (await runAgent('alice', [call, { text: 'ok' }])).model.toolResultsSeen(1)[0]?.content;
      expect(ran).toMatchObject({ data: { title: 'lc: book the venue', ownerId: 'alice' } });
      expect((await w.sdk.approvals.get(asked.approvalId as string)).status).toBe('executed');
    });
  });
});
