import { z } from 'zod';
import type { Runtime } from '../../runtime.js';
import { pageQuerySchema } from '../../store/pagination.js';
import { defineRoute, json } from '../route.js';
import { presentApiKey } from './api-keys.js';

const createProjectBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
});

export const adminProjectRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'POST',
    url: '/v1/admin/projects',
    auth: 'admin',
    body: createProjectBody,
    handler: async ({ body }) => {
      const project = await rt.projects.create(body.name);
      const { apiKey, secret } = await rt.apiKeys.create(project.id, 'default', 'admin');
      return json({ project, apiKey: { ...presentApiKey(apiKey), key: secret } }, 201);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/admin/projects',
    auth: 'admin',
    query: z.strictObject(pageQuerySchema),
    handler: async ({ query }) => json(await rt.projects.list(query)),
  }),
];
