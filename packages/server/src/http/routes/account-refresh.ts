import { z } from 'zod';
import type { Runtime } from '../../runtime.js';
import { defineRoute, json, unwrap } from '../route.js';
import { presentAccount } from './connected-accounts.js';

/** Forces a token refresh now (the account view comes back, never a token). */
export const accountRefreshRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'POST',
    url: '/v1/connected-accounts/:id/refresh',
    auth: 'project:admin',
    params: z.strictObject({ id: z.string().min(1).max(64) }),
    handler: async ({ principal, params }) =>
      json(presentAccount(unwrap(await rt.tokens.forceRefresh(principal.projectId, params.id)))),
  }),
];
