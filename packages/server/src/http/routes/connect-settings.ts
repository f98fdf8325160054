import { z } from 'zod';
import { connectSettingsSchema } from '../../connect/connect-settings.js';
import type { Runtime } from '../../runtime.js';
import { named, timestamp } from '../responses.js';
import { defineRoute, json, unwrap } from '../route.js';

const connectSettingsResponse = named(
  'ConnectSettings',
  connectSettingsSchema.extend({ version: z.number().int(), updatedAt: timestamp.nullable() }),
);

export const connectSettingsRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/v1/settings/connect',
    auth: 'project:admin',
    operationId: 'getConnectSettings',
    responses: { 200: connectSettingsResponse },
    handler: async ({ principal }) => json(await rt.connectSettings.get(principal.projectId)),
  }),
  defineRoute({
    method: 'PUT',
    url: '/v1/settings/connect',
    auth: 'project:admin',
    operationId: 'putConnectSettings',
    body: connectSettingsSchema,
    responses: { 200: connectSettingsResponse },
    handler: async ({ principal, body }) =>
      rt.db.atomically(async () => {
        const stored = unwrap(await rt.connectSettings.put(principal.projectId, body));
        await rt.audit.admin(principal, 'admin.connect_settings.updated', {
          userVerification: stored.userVerification.enabled,
        });
        return json(stored);
      }),
  }),
];
