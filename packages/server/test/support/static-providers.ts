import type { Sandbox } from '@gatehouse/sandbox';
import type { TestGatehouse } from './gatehouse.js';

/**
 * Providers with static credentials, served by the sandbox: "Acme Payments" (Stripe-shaped, a secret
 * API key as a bearer header, a key pattern, a health check) and "Acme Helpdesk" (HTTP Basic). They
 * are registered as a project's custom providers with custom toolkits, the way an operator would.
 */
export function paymentsProvider(sandbox: Sandbox, apiKey: Record<string, unknown> = {}) {
  return {
    id: 'acme-payments',
    displayName: 'Acme Payments',
    authType: 'api_key',
    apiKey: {
      label: 'Secret key',
      help: 'Dashboard → Developers → API keys. It starts with sk_test_ or sk_live_.',
      pattern: '^sk_(test|live)_[A-Za-z0-9_]+$',
      ...apiKey,
    },
    api: {
      baseUrl: sandbox.paymentsBaseUrl,
      internal: true,
      healthCheck: { method: 'GET', path: '/v1/balance' },
      identity: {
        source: 'request',
        method: 'GET',
        path: '/v1/account',
        subjectPath: 'id',
        displayNamePath: 'email',
      },
    },
  };
}

export function helpdeskProvider(sandbox: Sandbox) {
  return {
    id: 'acme-helpdesk',
    displayName: 'Acme Helpdesk',
    authType: 'basic',
    basic: { usernameLabel: 'Helpdesk username', passwordLabel: 'Helpdesk password' },
    api: {
      baseUrl: `${sandbox.helpdeskBaseUrl}/api`,
      internal: true,
      healthCheck: { method: 'GET', path: '/me' },
      identity: { source: 'request', method: 'GET', path: '/me', subjectPath: 'id' },
    },
  };
}

const object = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

export const paymentsToolkit = {
  id: 'acme_payments',
  displayName: 'Acme Payments',
  provider: 'acme-payments',
  tools: [
    {
      slug: 'acme_payments.balance.get',
      name: 'Get balance',
      description: 'Returns the available balance of the payments account.',
      input: object({}),
      scopes: [],
      risk: 'read',
      http: { method: 'GET', path: '/v1/balance' },
    },
    {
      slug: 'acme_payments.customers.create',
      name: 'Create a customer',
      description: 'Creates a customer in the payments account, identified by email.',
      input: object({ email: { type: 'string', minLength: 3 }, name: { type: 'string' } }, ['email']),
      scopes: [],
      risk: 'write',
      http: { method: 'POST', path: '/v1/customers', body: { fields: { email: 'email', name: 'name' } } },
    },
    {
      slug: 'acme_payments.customers.list',
      name: 'List customers',
      description: 'Lists the customers of the payments account.',
      input: object({}),
      scopes: [],
      risk: 'read',
      http: { method: 'GET', path: '/v1/customers' },
      output: { root: 'data' },
    },
  ],
};

export const helpdeskToolkit = {
  id: 'acme_helpdesk',
  displayName: 'Acme Helpdesk',
  provider: 'acme-helpdesk',
  tools: [
    {
      slug: 'acme_helpdesk.tickets.create',
      name: 'Open a ticket',
      description: 'Opens a support ticket on behalf of the user.',
      input: object({ subject: { type: 'string', minLength: 1 } }, ['subject']),
      scopes: [],
      risk: 'write',
      http: { method: 'POST', path: '/tickets', body: { fields: { subject: 'subject' } } },
    },
    {
      slug: 'acme_helpdesk.tickets.list',
      name: 'List tickets',
      description: "Lists the user's support tickets.",
      input: object({}),
      scopes: [],
      risk: 'read',
      http: { method: 'GET', path: '/tickets' },
      output: { root: 'tickets' },
    },
  ],
};

async function ok(res: Promise<{ status: number; text: string; body: unknown }>, what: string) {
  const r = await res;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${r.text}`);
  return r.body as { id: string };
}

/** Registers both providers and toolkits in a project and creates an auth config for each. */
export async function registerStaticProviders(
  gh: TestGatehouse,
  key: string,
  sandbox: Sandbox,
): Promise<{ payments: string; helpdesk: string }> {
  await ok(
    gh.call('PUT', '/v1/providers/acme-payments', { key, body: paymentsProvider(sandbox) }),
    'provider',
  );
  await ok(
    gh.call('PUT', '/v1/providers/acme-helpdesk', { key, body: helpdeskProvider(sandbox) }),
    'provider',
  );
  await ok(gh.call('PUT', '/v1/toolkits/acme_payments', { key, body: paymentsToolkit }), 'toolkit');
  await ok(gh.call('PUT', '/v1/toolkits/acme_helpdesk', { key, body: helpdeskToolkit }), 'toolkit');
  const payments = await ok(
    gh.call('POST', '/v1/auth-configs', { key, body: { providerId: 'acme-payments' } }),
    'auth config',
  );
  const helpdesk = await ok(
    gh.call('POST', '/v1/auth-configs', { key, body: { providerId: 'acme-helpdesk' } }),
    'auth config',
  );
  return { payments: payments.id, helpdesk: helpdesk.id };
}
