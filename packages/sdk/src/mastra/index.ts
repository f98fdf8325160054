import { createTool, type Tool } from '@mastra/core/tools';
import { z } from 'zod';
import {
  type AgentTool,
  type GatehouseToolResult,
  type GatehouseToolsOptions,
  gatehouseAgentTools,
} from '../agent-tools/index.js';
import type { Gatehouse } from '../index.js';

export {
  type GatehouseToolResult,
  type GatehouseToolsOptions,
  modelToolNames,
} from '../agent-tools/index.js';

// biome-ignore lint/suspicious/noExplicitAny: Mastra's Tool is generic over its zod schemas; these are built at run time.
export type GatehouseMastraTool = Tool<any, any>;

/**
 * Gatehouse tools as Mastra tools (`createTool` from `@mastra/core`) for one user, keyed by
 * model-safe names: `new Agent({ name, instructions, model, tools })`. Mastra wants zod schemas, so
 * each tool's JSON Schema is converted with zod's `z.fromJSONSchema` (zod 4.2 or later).
 *
 * Each tool answers plain JSON: `{ data }` on success; `{ authorizationRequired: true, message,
 * connectUrl, … }` or `{ approvalRequired: true, message, approvalUrl, approvalId, … }` when the user
 * must connect or approve (a message the model can relay, with the link in it); `{ error }` for
 * failures the model can act on. Never a token.
 */
export async function createGatehouseTools(
  gatehouse: Gatehouse,
  options: GatehouseToolsOptions,
): Promise<Record<string, GatehouseMastraTool>> {
  const out: Record<string, GatehouseMastraTool> = {};
  for (const t of await gatehouseAgentTools(gatehouse, options)) out[t.name] = mastraTool(t);
  return out;
}

const mastraTool = (t: AgentTool): GatehouseMastraTool =>
  createTool({
    id: t.name,
    description: t.description,
    inputSchema: z.fromJSONSchema(t.inputSchema as Parameters<typeof z.fromJSONSchema>[0]),
    execute: async ({ context }, options): Promise<GatehouseToolResult> =>
      t.run(context as Record<string, unknown>, { signal: options?.abortSignal }),
  });
