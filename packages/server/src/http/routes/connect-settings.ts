import { connectSettingsSchema } from '../../connect/connect-settings.js';
import type { Runtime } from '../../runtime.js';
import { defineRoute, json, unwrap } from '../route.js';

export const connectSettingsRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/v1/settings/connect',
    auth: 'project:admin',
    handler: async ({ principal }) => json(await rt.connectSettings.get(principal.projectId)),
  }),
  defineRoute({
    method: 'PUT',
    url: '/v1/settings/connect',
    auth: 'project:admin',
    body: connectSettingsSchema,
    handler: async ({ principal, body }) => {
      const stored = unwrap(await rt.connectSettings.put(principal.projectId, body));
      await rt.audit.admin(principal, 'admin.connect_settings.updated', {
        userVerification: stored.userVerification.enabled,
      });
      return json(stored);
    },
  }),
];
