import { jsonSchema, type Tool, tool } from 'ai';
import { GatehouseApiError } from '../errors.js';
import type { Gatehouse } from '../index.js';
import type { Tool as GatehouseTool } from '../tool-types.js';
import { type GatehouseToolResult, requestErrorResult, toModelResult } from './results.js';
import { modelToolNames } from './tool-names.js';

export type { GatehouseToolResult } from './results.js';
export { MAX_TOOL_NAME_LENGTH, modelToolNames, type ToolNames } from './tool-names.js';

export interface GatehouseToolsOptions {
  /** The end user the agent acts for: every call runs with this user's connections. */
  userId: string;
  /** Toolkit ids to offer, e.g. `['acme']`; all toolkits when omitted. */
  toolkits?: string[];
  /** Exact tool slugs to offer (within `toolkits`, if given); throws if one does not exist. */
  tools?: string[];
  /** Which account acts, by tool slug or toolkit id (slug wins), for users with several. */
  connectedAccountId?: Record<string, string>;
}

export type GatehouseAiTool = Tool<Record<string, unknown>, GatehouseToolResult>;

/**
 * Gatehouse tools as Vercel AI SDK tools for one user, keyed by model-safe names
 * (`acme.tasks.create` → `acme_tasks_create`, see `modelToolNames`).
 *
 * Each tool's `execute` runs the tool through Gatehouse as `userId` and returns plain JSON:
 * `{ data }` on success, `{ authorizationRequired: true, message, connectUrl, ... }` when the user
 * must connect or grant scopes, `{ approvalRequired: true, message, approvalUrl, approvalId, ... }`
 * when a policy asks the user to approve the call, `{ error: { code, message } }` when the call
 * failed. Tokens never reach this process, so they cannot reach the model.
 *
 * Approvals: relay `approvalUrl` to the user (or approve from your own UI with `approvalId`, after
 * `gatehouse.approvals.waitForDecision`); once approved, the model makes the same call again with the
 * same arguments and it runs, once (the adapter asks Gatehouse to use the approved approval of this
 * exact call). Before the decision, the repeat answers `approval_pending`.
 */
export async function createGatehouseTools(
  gatehouse: Gatehouse,
  options: GatehouseToolsOptions,
): Promise<Record<string, GatehouseAiTool>> {
  const listed = await gatehouse.tools.get({
    userId: options.userId,
    ...(options.toolkits ? { toolkits: options.toolkits } : {}),
  });
  const chosen = options.tools ? pick(listed, options.tools) : listed;
  const names = modelToolNames(chosen.map((t) => t.slug));
  const out: Record<string, GatehouseAiTool> = {};
  for (const t of chosen) out[names.nameOf(t.slug)] = aiTool(gatehouse, t, options);
  return out;
}

function aiTool(gatehouse: Gatehouse, t: GatehouseTool, options: GatehouseToolsOptions): GatehouseAiTool {
  const account = options.connectedAccountId?.[t.slug] ?? options.connectedAccountId?.[t.toolkit];
  return tool({
    description: t.description,
    inputSchema: jsonSchema<Record<string, unknown>>(t.inputSchema),
    execute: async (input, { abortSignal }) => {
      try {
        const result = await gatehouse.tools.execute(
          t.slug,
          {
            userId: options.userId,
            arguments: input ?? {},
            // The model repeats an approved call as it was: Gatehouse finds the approval by the call.
            adoptApprovedApproval: true,
            ...(account === undefined ? {} : { connectedAccountId: account }),
          },
          { signal: abortSignal },
        );
        return toModelResult(result);
      } catch (err) {
        const asResult = requestErrorResult(err);
        if (asResult) return asResult;
        throw err;
      }
    },
  });
}

function pick(listed: GatehouseTool[], slugs: string[]): GatehouseTool[] {
  const bySlug = new Map(listed.map((t) => [t.slug, t]));
  const missing = slugs.filter((s) => !bySlug.has(s));
  if (missing.length > 0)
    throw new GatehouseApiError(404, 'tool_not_found', `no tool named ${missing.join(', ')}`);
  return [...new Set(slugs)].map((s) => bySlug.get(s)!);
}
