import {
  guideMarkdown,
  type ProviderDefinition,
  parseProviderDefinition,
  providerGuide,
} from '@gatehouse/catalog';
import { z } from 'zod';
import {
  availableBuiltInProviders,
  checkDefinitionTargets,
  isBuiltInProvider,
} from '../../providers/resolve.js';
import type { Runtime } from '../../runtime.js';
import { GatehouseError } from '../../shared/errors.js';
import { empty, jsonObject, named, page, timestamp } from '../responses.js';
import { defineRoute, json, noContent } from '../route.js';

const providerSummarySchema = named(
  'ProviderSummary',
  z.strictObject({
    id: z.string().meta({ examples: ['github'] }),
    displayName: z.string(),
    description: z.string().nullable(),
    categories: z.array(z.string()),
    authType: z.string(),
    custom: z.boolean(),
    defaultScopes: z.array(z.string()),
    scopes: z.array(z.strictObject({ name: z.string(), description: z.string() })),
    settings: z.record(z.string(), jsonObject),
  }),
);
const providerSchema = named(
  'Provider',
  z.strictObject({
    custom: z.boolean(),
    definition: jsonObject.meta({ description: "A provider definition (the catalog's provider schema)" }),
    guide: named(
      'ProviderGuide',
      z.strictObject({
        providerId: z.string(),
        displayName: z.string(),
        authType: z.string(),
        consoleUrl: z.string().nullable(),
        steps: z.array(z.string()),
        callbackUrl: z.string(),
        defaultScopes: z.array(z.string()),
        toolkits: z.array(
          z.strictObject({
            id: z.string(),
            displayName: z.string(),
            tools: z.number().int(),
            scopes: z.array(
              z.strictObject({
                name: z.string(),
                description: z.string().nullable(),
                tools: z.number().int(),
              }),
            ),
          }),
        ),
        docsUrl: z.string().nullable(),
        notes: z.string().nullable(),
        markdown: z.string(),
      }),
      'How to set the provider up: where to register the app, the callback URL, the scopes per toolkit.',
    ).optional(),
    createdAt: timestamp.optional(),
    updatedAt: timestamp.optional(),
  }),
);

const summary = (d: ProviderDefinition, custom: boolean) => ({
  id: d.id,
  displayName: d.displayName,
  description: d.description ?? null,
  categories: d.categories,
  authType: d.authType,
  custom,
  defaultScopes: d.oauth2?.defaultScopes ?? [],
  scopes: d.oauth2?.scopes ?? [],
  settings: d.settings,
});

const idParams = z.strictObject({ id: z.string().min(1).max(64) });

/** The setup guide with this deployment's callback URL and the project's toolkits (custom ones too). */
async function guideFor(rt: Runtime, projectId: string, definition: ProviderDefinition) {
  const toolkits = (await rt.catalog.toolkits(projectId)).map((t) => t.toolkit);
  const guide = providerGuide(definition, toolkits, `${rt.config.publicUrl}/oauth/callback`);
  return { ...guide, markdown: guideMarkdown(guide) };
}

/**
 * A provider this project may use (built in, or its own custom one) with its setup guide: what
 * `GET /v1/providers/:id` answers and the console's auth config form shows.
 */
export async function findProvider(rt: Runtime, projectId: string, id: string) {
  const builtIn = availableBuiltInProviders(rt.config.allowInternalProviders).find((d) => d.id === id);
  if (builtIn) return { custom: false, definition: builtIn, guide: await guideFor(rt, projectId, builtIn) };
  const custom = await rt.customProviders.bySlug(projectId, id);
  if (!custom) return undefined;
  return {
    custom: true,
    definition: custom.definition,
    guide: await guideFor(rt, projectId, custom.definition),
    createdAt: custom.createdAt,
    updatedAt: custom.updatedAt,
  };
}

/** The catalog plus the project's own custom providers (same schema as the catalog's data files). */
export const providerRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/v1/providers',
    auth: 'project:runtime',
    operationId: 'listProviders',
    responses: { 200: page(providerSummarySchema) },
    handler: async ({ principal }) => {
      const custom = await rt.customProviders.list(principal.projectId);
      const items = [
        ...availableBuiltInProviders(rt.config.allowInternalProviders).map((d) => summary(d, false)),
        ...custom.map((c) => summary(c.definition, true)),
      ];
      return json({ items, nextCursor: null });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/providers/:id',
    auth: 'project:runtime',
    operationId: 'getProvider',
    params: idParams,
    responses: { 200: providerSchema },
    handler: async ({ principal, params }) => {
      const found = await findProvider(rt, principal.projectId, params.id);
      if (!found) throw new GatehouseError('not_found', `provider ${params.id} not found`);
      return json(found);
    },
  }),
  defineRoute({
    method: 'PUT',
    url: '/v1/providers/:id',
    auth: 'project:admin',
    operationId: 'putCustomProvider',
    params: idParams,
    body: z.object({}).passthrough(),
    responses: { 200: providerSchema },
    handler: async ({ principal, params, body }) => {
      if (isBuiltInProvider(params.id))
        throw new GatehouseError('conflict', `${params.id} is a built-in provider; choose another id`);
      const parsed = parseProviderDefinition({ ...body, id: body.id ?? params.id });
      if (!parsed.ok) {
        throw new GatehouseError('invalid_provider', parsed.error.message, {
          status: 400,
          details: { issues: parsed.error.issues },
        });
      }
      if (parsed.value.id !== params.id)
        throw new GatehouseError('invalid_request', 'body.id must match the id in the path');
      if (parsed.value.api.internal && !rt.config.allowInternalProviders) {
        throw new GatehouseError(
          'invalid_provider',
          'internal (private-network) providers are not allowed on this instance',
          { status: 400 },
        );
      }
      const targets = checkDefinitionTargets(parsed.value, rt.config.allowInternalProviders);
      if (!targets.ok) throw new GatehouseError(targets.error.code, targets.error.message);
      const saved = await rt.customProviders.upsert(principal.projectId, parsed.value);
      rt.authConfigs.invalidate(principal.projectId);
      return json({
        custom: true,
        definition: saved.definition,
        createdAt: saved.createdAt,
        updatedAt: saved.updatedAt,
      });
    },
  }),
  defineRoute({
    method: 'DELETE',
    url: '/v1/providers/:id',
    auth: 'project:admin',
    operationId: 'deleteCustomProvider',
    params: idParams,
    responses: { 204: empty() },
    handler: async ({ principal, params }) => {
      const custom = await rt.customProviders.bySlug(principal.projectId, params.id);
      if (!custom) throw new GatehouseError('not_found', `custom provider ${params.id} not found`);
      if ((await rt.authConfigStore.countByCustomProvider(principal.projectId, custom.id)) > 0) {
        throw new GatehouseError(
          'conflict',
          `custom provider ${params.id} is used by auth configs; delete them first`,
        );
      }
      await rt.customProviders.delete(principal.projectId, params.id);
      rt.authConfigs.invalidate(principal.projectId);
      return noContent();
    },
  }),
];
