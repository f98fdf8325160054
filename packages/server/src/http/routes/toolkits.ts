import { z } from 'zod';
import type { ToolkitEntry } from '../../catalog/custom-toolkits.js';
import type { Runtime } from '../../runtime.js';
import { GatehouseError } from '../../shared/errors.js';
import { defineRoute, json, noContent, unwrap } from '../route.js';

const summary = (e: ToolkitEntry) => ({
  id: e.toolkit.id,
  displayName: e.toolkit.displayName,
  description: e.toolkit.description ?? null,
  provider: e.toolkit.provider,
  custom: e.custom,
  source: e.source,
  tools: e.toolkit.tools.length,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

const present = (e: ToolkitEntry) => ({
  custom: e.custom,
  source: e.source,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
  definition: e.toolkit,
});

const idParams = z.strictObject({
  id: z
    .string()
    .max(63)
    .regex(/^[a-z][a-z0-9_]{1,62}$/, 'a toolkit id: lowercase letters, digits and _'),
});
const jsonObject = z.record(z.string(), z.unknown());

/** The project's toolkits: the built-in ones (shared) and its own, written whole or imported from OpenAPI. */
export const toolkitRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/v1/toolkits',
    auth: 'project:runtime',
    handler: async ({ principal }) => {
      const items = (await rt.customToolkits.list(principal.projectId)).map(summary);
      return json({ items, nextCursor: null });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/toolkits/:id',
    auth: 'project:runtime',
    params: idParams,
    handler: async ({ principal, params }) => {
      const found = await rt.customToolkits.get(principal.projectId, params.id);
      if (!found) throw new GatehouseError('not_found', `toolkit ${params.id} not found`);
      return json(present(found));
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/v1/toolkits/:id',
    auth: 'project:admin',
    params: idParams,
    body: jsonObject,
    handler: async ({ principal, params, body }) => {
      const input = { ...body, id: body.id ?? params.id };
      const stored = unwrap(await rt.customToolkits.put(principal.projectId, params.id, input));
      await rt.audit.admin(principal, 'admin.toolkit.updated', { toolkitId: params.id });
      return json(present(stored));
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/v1/toolkits/:id',
    auth: 'project:admin',
    params: idParams,
    handler: async ({ principal, params }) => {
      unwrap(await rt.customToolkits.delete(principal.projectId, params.id));
      await rt.audit.admin(principal, 'admin.toolkit.deleted', { toolkitId: params.id });
      return noContent();
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/v1/toolkits/import-openapi',
    auth: 'project:admin',
    body: z.strictObject({ openapi: jsonObject, selection: jsonObject }),
    handler: async ({ principal, body }) => {
      const imported = await rt.customToolkits.importOpenApi(
        principal.projectId,
        body.openapi,
        body.selection,
      );
      const stored = unwrap(imported);
      await rt.audit.admin(principal, 'admin.toolkit.updated', {
        toolkitId: stored.toolkit.id,
        importedFrom: 'openapi',
      });
      return json(present(stored));
    },
  }),
];
