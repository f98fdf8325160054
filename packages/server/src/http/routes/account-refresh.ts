import { z } from 'zod';
import type { Runtime } from '../../runtime.js';
import { defineRoute, json, unwrap } from '../route.js';
import { connectedAccountSchema, presentAccount } from './connected-accounts.js';

/** Forces a token refresh now (the account view comes back, never a token). */
export const accountRefreshRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'POST',
    url: '/v1/connected-accounts/:id/refresh',
    auth: 'project:admin',
    operationId: 'refreshConnectedAccount',
    params: z.strictObject({ id: z.string().min(1).max(64) }),
    responses: { 200: connectedAccountSchema },
    handler: async ({ principal, params }) =>
      json(presentAccount(unwrap(await rt.tokens.forceRefresh(principal.projectId, params.id)))),
  }),
];
