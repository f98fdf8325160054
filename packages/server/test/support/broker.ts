import type { Sandbox } from '@gatehouse/sandbox';
import { connectUser, createSandboxAuthConfig, sandboxFor } from './connect.js';
import type { TestGatehouse } from './gatehouse.js';

export interface ToolResult {
  successful: boolean;
  data: unknown;
  nextCursor: string | null;
  error: { code: string; message: string; details?: Record<string, unknown> } | null;
  executionId: string;
}

export interface Task {
  id: string;
  title: string;
  ownerId: string;
  visibility: 'private' | 'team';
}

/** A project with a sandbox auth config and some users connected, ready to execute tools. */
export async function projectWithConnectedUsers(
  gh: TestGatehouse,
  sandbox: Sandbox,
  client: { clientId: string; clientSecret: string },
  users: string[],
  scopes = ['openid', 'tasks:read', 'tasks:write'],
): Promise<{ apiKey: string; authConfigId: string; accounts: Record<string, string> }> {
  const { apiKey } = await gh.createProject(`project of ${users.join(', ') || 'nobody'}`);
  const authConfigId = await createSandboxAuthConfig(gh, apiKey, sandbox, client, { defaultScopes: scopes });
  const accounts: Record<string, string> = {};
  for (const user of users) {
    const outcome = await connectUser(gh, apiKey, { userId: user, authConfigId }, { username: user });
    if (outcome.link.status !== 'COMPLETED')
      throw new Error(`connect ${user}: ${JSON.stringify(outcome.link)}`);
    accounts[user] = outcome.link.connectedAccountId!;
  }
  return { apiKey, authConfigId, accounts };
}

export async function execute(
  gh: TestGatehouse,
  apiKey: string,
  slug: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; result: ToolResult; text: string }> {
  const res = await gh.call('POST', `/v1/tools/${slug}/execute`, { key: apiKey, body, headers });
  return { status: res.status, result: res.body as ToolResult, text: res.text };
}

export { sandboxFor };
