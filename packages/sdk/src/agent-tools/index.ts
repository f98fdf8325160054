import { GatehouseApiError } from '../errors.js';
import type { Gatehouse } from '../index.js';
import type { Tool } from '../tool-types.js';
import { type GatehouseToolResult, requestErrorResult, toModelResult } from './results.js';
import { modelToolNames } from './tool-names.js';

export { type GatehouseToolResult, requestErrorResult, toModelResult } from './results.js';
export { MAX_TOOL_NAME_LENGTH, modelToolNames, type ToolNames } from './tool-names.js';

/** What every adapter (Vercel AI SDK, LangChain, OpenAI Agents, Mastra) takes. */
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

/** A JSON Schema object, as the tool's `inputSchema`. */
export type JsonSchema = Record<string, unknown>;

/** One Gatehouse tool, framework-neutral: what each adapter wraps in its framework's tool type. */
export interface AgentTool {
  /** Model-safe (`acme.tasks.create` → `acme_tasks_create`, see `modelToolNames`). */
  name: string;
  slug: string;
  description: string;
  inputSchema: JsonSchema;
  /**
   * Runs the tool as the user and answers plain JSON for the model (see `GatehouseToolResult`):
   * never a token, never thrown for what the model can act on (connect, approve, fix its arguments).
   */
  run(
    input: Record<string, unknown> | undefined,
    options?: { signal?: AbortSignal | undefined },
  ): Promise<GatehouseToolResult>;
}

/**
 * The user's Gatehouse tools, ready to wrap. Each call:
 * - passes `adoptApprovedApproval`, so once the user approved a held call, the model repeating it
 *   with the same arguments runs it (once);
 * - carries a fresh idempotency key, so the SDK may retry it on a transient failure and the server
 *   still runs it at most once.
 */
export async function gatehouseAgentTools(
  gatehouse: Gatehouse,
  options: GatehouseToolsOptions,
): Promise<AgentTool[]> {
  const listed = await gatehouse.tools.get({
    userId: options.userId,
    ...(options.toolkits ? { toolkits: options.toolkits } : {}),
  });
  const chosen = options.tools ? pick(listed, options.tools) : listed;
  const names = modelToolNames(chosen.map((t) => t.slug));
  return chosen.map((t) => agentTool(gatehouse, t, names.nameOf(t.slug), options));
}

function agentTool(gatehouse: Gatehouse, t: Tool, name: string, options: GatehouseToolsOptions): AgentTool {
  const account = options.connectedAccountId?.[t.slug] ?? options.connectedAccountId?.[t.toolkit];
  return {
    name,
    slug: t.slug,
    description: t.description,
    inputSchema: t.inputSchema,
    run: async (input, runOptions = {}) => {
      try {
        const result = await gatehouse.tools.execute(
          t.slug,
          {
            userId: options.userId,
            arguments: input ?? {},
            // The model repeats an approved call as it was: Gatehouse finds the approval by the call.
            adoptApprovedApproval: true,
            idempotencyKey: `agent-${globalThis.crypto.randomUUID()}`,
            ...(account === undefined ? {} : { connectedAccountId: account }),
          },
          { signal: runOptions.signal },
        );
        return toModelResult(result);
      } catch (err) {
        const asResult = requestErrorResult(err);
        if (asResult) return asResult;
        throw err;
      }
    },
  };
}

function pick(listed: Tool[], slugs: string[]): Tool[] {
  const bySlug = new Map(listed.map((t) => [t.slug, t]));
  const missing = slugs.filter((s) => !bySlug.has(s));
  if (missing.length > 0)
    throw new GatehouseApiError(404, 'tool_not_found', `no tool named ${missing.join(', ')}`);
  return [...new Set(slugs)].map((s) => bySlug.get(s)!);
}

/** A tool result as one string, for frameworks whose tools answer text (LangChain, OpenAI Agents). */
export const resultText = (result: GatehouseToolResult): string => JSON.stringify(result);
