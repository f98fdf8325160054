import { z } from 'zod';
import { createProject } from '../../projects/create-project.js';
import type { Runtime } from '../../runtime.js';
import { pageQuerySchema } from '../../store/pagination.js';
import { named, page, timestamp } from '../responses.js';
import { defineRoute, json } from '../route.js';
import { newApiKeySchema, presentApiKey } from './api-keys.js';

const projectSchema = named(
  'Project',
  z.strictObject({ id: z.string(), name: z.string(), createdAt: timestamp }),
);

const createProjectBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
});

export const adminProjectRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'POST',
    url: '/v1/admin/projects',
    auth: 'admin',
    operationId: 'createProject',
    body: createProjectBody,
    responses: { 201: z.strictObject({ project: projectSchema, apiKey: newApiKeySchema }) },
    handler: async ({ body }) => {
      const { project, apiKey, secret } = await createProject(rt, body.name, 'admin_token', { via: 'api' });
      return json({ project, apiKey: { ...presentApiKey(apiKey), key: secret } }, 201);
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/admin/projects',
    auth: 'admin',
    operationId: 'listProjects',
    query: z.strictObject(pageQuerySchema),
    responses: { 200: page(projectSchema) },
    handler: async ({ query }) => json(await rt.projects.list(query)),
  }),
];
