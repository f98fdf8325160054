import type { Sandbox } from '@gatehouse/sandbox';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openPglite } from '../../src/store/db.js';
import { example, setPolicies } from '../governance/support.js';
import { sandboxFor } from '../support/connect.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';
import { registerStaticProviders } from '../support/static-providers.js';

// The team's payments key belongs to group "team-1": its members use it when they act for the team,
// nobody else does, and the shipped example policy keeps it read-only.

let gh: TestGatehouse;
let sandbox: Sandbox;
let key: string;
let configs: { payments: string; helpdesk: string };
let teamAccount: string;

beforeAll(async () => {
  gh = await startTestGatehouse(await openPglite());
  ({ sandbox } = await sandboxFor(gh));
  key = (await gh.createProject('groups')).apiKey;
  configs = await registerStaticProviders(gh, key, sandbox);
  const res = await gh.call('POST', '/v1/connected-accounts', {
    key,
    body: {
      userId: 'alice',
      groupId: 'team-1',
      authConfigId: configs.payments,
      credentials: { type: 'api_key', apiKey: sandbox.apiKeys.alice! },
    },
  });
  if (res.status !== 201) throw new Error(res.text);
  teamAccount = (res.body as { id: string }).id;
});
afterAll(async () => {
  await gh?.close();
  await sandbox?.close();
  await gh?.server.runtime.db.close();
});

const run = async (slug: string, body: Record<string, unknown>) =>
  (await gh.call('POST', `/v1/tools/${slug}/execute`, { key, body })).body as {
    successful: boolean;
    error: { code: string } | null;
  };

it('the connection is listed as the group’s', async () => {
  const listed = await gh.call('GET', '/v1/connected-accounts?groupId=team-1', { key });
  expect((listed.body as { items: unknown[] }).items).toMatchObject([
    { id: teamAccount, owner: 'group', groupId: 'team-1', userId: 'alice' },
  ]);
});

it('a member acting for the group uses it; without the group, or for another group, it is not there', async () => {
  expect(
    await run('acme_payments.balance.get', { userId: 'bob', groupId: 'team-1', arguments: {} }),
  ).toMatchObject({
    successful: true,
  });
  expect(await run('acme_payments.balance.get', { userId: 'bob', arguments: {} })).toMatchObject({
    error: { code: 'authorization_required' },
  });
  expect(
    await run('acme_payments.balance.get', { userId: 'carol', groupId: 'team-2', arguments: {} }),
  ).toMatchObject({
    error: { code: 'authorization_required' },
  });
  // Named explicitly by someone outside the group: not found, like another user's account.
  const named = await gh.call('POST', '/v1/tools/acme_payments.balance.get/execute', {
    key,
    body: { userId: 'carol', connectedAccountId: teamAccount, arguments: {} },
  });
  expect(named.status).toBe(404);
  // Even its connector uses it only when acting for the group.
  expect(await run('acme_payments.balance.get', { userId: 'alice', arguments: {} })).toMatchObject({
    error: { code: 'authorization_required' },
  });
});

it('the example policy: the group connection reads, but writes are refused', async () => {
  await setPolicies(gh, key, [{ policies: example('group-connections-read-only') }]);
  expect(
    await run('acme_payments.customers.list', { userId: 'bob', groupId: 'team-1', arguments: {} }),
  ).toMatchObject({
    successful: true,
  });
  expect(
    await run('acme_payments.customers.create', {
      userId: 'bob',
      groupId: 'team-1',
      arguments: { email: 'x@example.com' },
    }),
  ).toMatchObject({ successful: false, error: { code: 'policy_denied' } });
  // Bob's own key wins over the group's: his writes go through.
  const own = await gh.call('POST', '/v1/connected-accounts', {
    key,
    body: {
      userId: 'bob',
      authConfigId: configs.payments,
      credentials: { type: 'api_key', apiKey: sandbox.apiKeys.bob! },
    },
  });
  expect(own.status).toBe(201);
  expect(
    await run('acme_payments.customers.create', {
      userId: 'bob',
      groupId: 'team-1',
      arguments: { email: 'y@example.com' },
    }),
  ).toMatchObject({ successful: true });
  const test = await gh.call('POST', '/v1/policies/test', {
    key,
    body: {
      request: {
        userId: 'bob',
        tool: 'acme_payments.customers.list',
        groupId: 'team-2',
        account: { groupId: 'team-1', authType: 'api_key' },
      },
    },
  });
  expect(test.body).toMatchObject({
    decision: 'deny',
    policies: ['a group connection serves only its own group'],
  });
});
