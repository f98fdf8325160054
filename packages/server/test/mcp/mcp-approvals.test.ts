import type { Sandbox } from '@gatehouse/sandbox';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { example, setPolicies } from '../governance/support.js';
import { projectWithConnectedUsers, sandboxFor, type Task } from '../support/broker.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

interface ToolError {
  error: { code: string; message: string; approvalId?: string; approvalUrl?: string; expiresAt?: string };
}

const textOf = (r: Record<string, unknown>) => (r.content as Array<{ text: string }>)[0]!.text;

describeEachDatabase(
  'MCP approvals: the link reaches the user, repeating the approved call runs it once',
  (t) => {
    let gh: TestGatehouse;
    let sandbox: Sandbox;
    let acme: Awaited<ReturnType<typeof projectWithConnectedUsers>>;
    let client: Client;

    beforeAll(async () => {
      gh = await startTestGatehouse(t.db());
      const started = await sandboxFor(gh);
      sandbox = started.sandbox;
      acme = await projectWithConnectedUsers(gh, sandbox, started.client, ['alice', 'bob']);
      await setPolicies(gh, acme.apiKey, [{ policies: example('approval-for-writes') }]);
      client = await connectAs('alice');
    });
    afterAll(async () => {
      await client?.close();
      await gh?.close();
      await sandbox?.close();
    });

    async function connectAs(userId: string): Promise<Client> {
      const res = await gh.call('POST', '/v1/mcp/sessions', {
        key: acme.apiKey,
        body: { userId, toolkits: ['acme'] },
      });
      if (res.status !== 201) throw new Error(`${res.status} ${res.text}`);
      const { url, credential } = res.body as { url: string; credential: string };
      const c = new Client({ name: 'approval-test-client', version: '1.0.0' });
      await c.connect(
        new StreamableHTTPClientTransport(new URL(url), {
          requestInit: { headers: { authorization: `Bearer ${credential}` } },
        }),
      );
      return c;
    }
    const call = async (c: Client, args: Record<string, unknown>) => {
      const r = await c.callTool({ name: 'acme.tasks.create', arguments: args });
      return r as Record<string, unknown>;
    };
    const errorOf = (r: Record<string, unknown>) => (r.structuredContent as ToolError).error;
    const approve = (id: string) => gh.call('POST', `/v1/approvals/${id}/approve`, { key: acme.apiKey });
    const tasksTitled = async (title: string) => {
      const listed = await client.callTool({ name: 'acme.tasks.list', arguments: { limit: 100 } });
      return (listed.structuredContent as { items: Task[] }).items.filter((x) => x.title === title);
    };

    it('alice’s write asks for approval with the link in the text; once approved, the same call creates the task once', async () => {
      const args = { title: 'order the new laptops' };
      const first = await call(client, args);
      expect(first.isError).toBe(true);
      const asked = errorOf(first);
      expect(asked.code).toBe('approval_required');
      expect(asked.approvalId).toMatch(/^apr_/);
      expect(asked.approvalUrl).toMatch(new RegExp(`^${gh.url}/approvals/${asked.approvalId}\\?key=`));
      // A model reading only the text sees the link and what to do next.
      expect(textOf(first)).toContain(asked.approvalUrl!);
      expect(textOf(first)).toContain('same arguments');

      // Still pending: the repeat says so, and asks for nothing new.
      const waiting = errorOf(await call(client, args));
      expect(waiting).toMatchObject({ code: 'approval_pending', approvalId: asked.approvalId });
      expect(await tasksTitled(args.title)).toHaveLength(0);

      const approved = await approve(asked.approvalId!);
      expect(approved.status, approved.text).toBe(200);

      // Other arguments are another call: they need their own approval.
      expect(errorOf(await call(client, { title: 'order the new laptops', notes: 'x' })).code).toBe(
        'approval_required',
      );

      const second = await call(client, args);
      expect(second.isError, textOf(second)).toBeFalsy();
      expect(second.structuredContent).toMatchObject({ title: args.title });
      expect(await tasksTitled(args.title)).toHaveLength(1);

      // Used once: the third identical call asks for a new approval.
      const third = errorOf(await call(client, args));
      expect(third.code).toBe('approval_required');
      expect(third.approvalId).not.toBe(asked.approvalId);
      expect(await tasksTitled(args.title)).toHaveLength(1);

      const record = await gh.call('GET', `/v1/approvals/${asked.approvalId}`, { key: acme.apiKey });
      expect(record.body).toMatchObject({ status: 'executed', userId: 'alice' });
    });

    it('bob repeating alice’s approved call does not use her approval', async () => {
      const args = { title: 'expense the dinner' };
      const asked = errorOf(await call(client, args));
      expect((await approve(asked.approvalId!)).status).toBe(200);
      const bob = await connectAs('bob');
      try {
        const answer = errorOf(await call(bob, args));
        expect(answer.code).toBe('approval_required');
        expect(answer.approvalId).not.toBe(asked.approvalId);
      } finally {
        await bob.close();
      }
      // Alice's approval is still hers to use.
      const mine = await call(client, args);
      expect(mine.isError, textOf(mine)).toBeFalsy();
    });
  },
);
