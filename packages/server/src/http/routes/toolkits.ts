import { z } from 'zod';
import type { ToolkitEntry } from '../../catalog/custom-toolkits.js';
import type { Runtime } from '../../runtime.js';
import { GatehouseError } from '../../shared/errors.js';
import { empty, named, page, timestamp } from '../responses.js';
import { defineRoute, json, noContent, unwrap } from '../route.js';

const source = z.enum(['definition', 'openapi']).nullable();
const toolkitSummarySchema = named(
  'ToolkitSummary',
  z.strictObject({
    id: z.string().meta({ examples: ['github'] }),
    displayName: z.string(),
    description: z.string().nullable(),
    provider: z.string(),
    custom: z.boolean(),
    version: z.string().meta({ description: 'The version this project uses', examples: ['1.2.0'] }),
    pinned: z.boolean().meta({ description: 'Whether the project pinned this version' }),
    latestVersion: z.string(),
    source,
    tools: z.number().int().meta({ description: 'How many tools it has' }),
    createdAt: timestamp.nullable(),
    updatedAt: timestamp.nullable(),
  }),
);
const toolkitSchema = named(
  'Toolkit',
  z.strictObject({
    custom: z.boolean(),
    version: z.string().meta({ description: 'The version this project uses (a pin, or the latest)' }),
    pinned: z.boolean(),
    latestVersion: z.string(),
    source,
    createdAt: timestamp.nullable(),
    updatedAt: timestamp.nullable(),
    definition: z
      .record(z.string(), z.unknown())
      .meta({ description: "A toolkit definition (the catalog's toolkit schema)" }),
  }),
);

const toolkitVersionsSchema = named(
  'ToolkitVersions',
  z.strictObject({
    toolkitId: z.string(),
    latestVersion: z.string(),
    pinnedVersion: z.string().nullable(),
    versions: z
      .array(
        z.strictObject({
          version: z.string(),
          hash: z.string().meta({ description: "sha256 of the tools' contracts (16 hex digits)" }),
          latest: z.boolean(),
          inUse: z.boolean().meta({ description: 'The version this project uses' }),
        }),
      )
      .meta({ description: 'Newest first' }),
  }),
);
const toolkitPinSchema = named(
  'ToolkitPin',
  z.strictObject({ toolkitId: z.string(), version: z.string(), pinnedAt: timestamp }),
);

const summary = (e: ToolkitEntry) => ({
  id: e.toolkit.id,
  displayName: e.toolkit.displayName,
  description: e.toolkit.description ?? null,
  provider: e.toolkit.provider,
  custom: e.custom,
  version: e.version,
  pinned: e.pinned,
  latestVersion: e.latestVersion,
  source: e.source,
  tools: e.toolkit.tools.length,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

const present = (e: ToolkitEntry) => ({
  custom: e.custom,
  version: e.version,
  pinned: e.pinned,
  latestVersion: e.latestVersion,
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
const versionString = z
  .string()
  .max(40)
  .regex(/^\d{1,6}\.\d{1,6}\.\d{1,6}$/, 'a released version: major.minor.patch, e.g. 1.2.0');
const versionParams = idParams.extend({ version: versionString });

/** The project's toolkits: the built-in ones (shared) and its own, written whole or imported from OpenAPI. */
export const toolkitRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/v1/toolkits',
    auth: 'project:runtime',
    operationId: 'listToolkits',
    responses: { 200: page(toolkitSummarySchema) },
    handler: async ({ principal }) => {
      const items = (await rt.customToolkits.list(principal.projectId)).map(summary);
      return json({ items, nextCursor: null });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/toolkits/:id',
    auth: 'project:runtime',
    operationId: 'getToolkit',
    params: idParams,
    responses: { 200: toolkitSchema },
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
    operationId: 'putToolkit',
    params: idParams,
    body: jsonObject,
    responses: { 200: toolkitSchema },
    handler: async ({ principal, params, body }) =>
      rt.db.atomically(async () => {
        const input = { ...body, id: body.id ?? params.id };
        const stored = unwrap(await rt.customToolkits.put(principal.projectId, params.id, input));
        await rt.audit.admin(principal, 'admin.toolkit.updated', { toolkitId: params.id });
        return json(present(stored));
      }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/v1/toolkits/:id',
    auth: 'project:admin',
    operationId: 'deleteToolkit',
    params: idParams,
    responses: { 204: empty() },
    handler: async ({ principal, params }) =>
      rt.db.atomically(async () => {
        unwrap(await rt.customToolkits.delete(principal.projectId, params.id));
        await rt.audit.admin(principal, 'admin.toolkit.deleted', { toolkitId: params.id });
        return noContent();
      }),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/toolkits/:id/versions',
    auth: 'project:runtime',
    operationId: 'listToolkitVersions',
    params: idParams,
    responses: { 200: toolkitVersionsSchema },
    handler: async ({ principal, params }) =>
      json(unwrap(await rt.toolkitPins.versions(principal.projectId, params.id))),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/toolkits/:id/versions/:version',
    auth: 'project:runtime',
    operationId: 'getToolkitVersion',
    params: versionParams,
    responses: { 200: jsonObject.meta({ description: 'The toolkit definition at that version' }) },
    handler: async ({ principal, params }) =>
      json(unwrap(await rt.toolkitPins.at(principal.projectId, params.id, params.version))),
  }),
  defineRoute({
    method: 'PUT',
    url: '/v1/toolkits/:id/pin',
    auth: 'project:admin',
    operationId: 'pinToolkitVersion',
    params: idParams,
    body: z.strictObject({ version: versionString }),
    responses: { 200: toolkitPinSchema },
    handler: async ({ principal, params, body }) =>
      rt.db.atomically(async () => {
        const pin = unwrap(await rt.toolkitPins.pin(principal.projectId, params.id, body.version));
        await rt.audit.admin(principal, 'admin.toolkit.pinned', {
          toolkitId: params.id,
          version: pin.version,
        });
        return json({ toolkitId: pin.toolkitId, version: pin.version, pinnedAt: pin.pinnedAt });
      }),
  }),
  defineRoute({
    method: 'DELETE',
    url: '/v1/toolkits/:id/pin',
    auth: 'project:admin',
    operationId: 'unpinToolkitVersion',
    params: idParams,
    responses: { 204: empty() },
    handler: async ({ principal, params }) =>
      rt.db.atomically(async () => {
        unwrap(await rt.toolkitPins.unpin(principal.projectId, params.id));
        await rt.audit.admin(principal, 'admin.toolkit.unpinned', { toolkitId: params.id });
        return noContent();
      }),
  }),
  defineRoute({
    method: 'POST',
    url: '/v1/toolkits/import-openapi',
    auth: 'project:admin',
    operationId: 'importToolkitFromOpenApi',
    body: z.strictObject({ openapi: jsonObject, selection: jsonObject }),
    responses: { 200: toolkitSchema },
    handler: async ({ principal, body }) =>
      rt.db.atomically(async () => {
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
      }),
  }),
];
