import { matchRequest, type RawRequest } from '@gatehouse/catalog';
import type { ToolCatalog } from '../../catalog/tool-catalog.js';
import type { PolicyEngine } from '../../policy/engine.js';
import { type CallContext, type Halt, refusal } from '../types.js';

export interface GovernedAsDeps {
  catalog: ToolCatalog;
  policies: PolicyEngine;
}

/**
 * The same upstream call is the same action, whatever door or name it comes under. A request is also
 * decided as every catalog tool of its provider whose HTTP mapping it is, with the arguments that tool
 * would have been given: a forbid on `acme.tasks.create` amounts stops a proxied `POST /tasks`, and a
 * project's custom tool that posts to `/tasks` as well. Only when the project has policies.
 */
export async function governAsMatchingTools(
  ctx: CallContext,
  d: GovernedAsDeps,
  raw: RawRequest,
): Promise<void> {
  const { projectId } = ctx.request;
  if ((await d.policies.forProject(projectId)).none) return;
  const catalog = await d.catalog.forProject(projectId);
  const self = ctx.tool?.tool.slug;
  const matched: NonNullable<CallContext['alsoGovernedAs']> = [];
  const unreadable: string[] = [];
  // Paths are relative to a toolkit's base URL: only tools on the same base make the same request.
  const base = ctx.tool?.toolkit.baseUrl;
  for (const tool of catalog.ofProvider(ctx.auth!.provider.id)) {
    if (tool.tool.slug === self || tool.toolkit.baseUrl !== base) continue;
    const m = matchRequest(tool.tool, raw);
    if (m?.kind === 'arguments') matched.push({ tool, args: m.args });
    else if (m?.kind === 'unreadable') unreadable.push(tool.tool.slug);
  }
  // Kept: what an earlier step already decided this call also is (a unified tool's action).
  ctx.alsoGovernedAs = [...(ctx.alsoGovernedAs ?? []), ...matched];
  ctx.unreadableFor = unreadable;
  if (matched.length > 0 || unreadable.length > 0)
    ctx.notes.governedAs = [...matched.map((m) => m.tool.tool.slug), ...unreadable];
}

/**
 * What policies cannot see, they do not let through: a request that is a catalog tool's call but
 * whose body is not JSON (its arguments are hidden), or that returns records an enforced record-level
 * forbid filters, through a door that returns them unfiltered (the proxy, a tool without a records
 * declaration). Refused with a pointer to the tool.
 */
export async function guardUnseen(ctx: CallContext, d: GovernedAsDeps): Promise<Halt | undefined> {
  const unreadable = ctx.unreadableFor ?? [];
  if (unreadable.length > 0)
    return refusal({
      code: 'policy_denied',
      message: `this request is ${unreadable.join(', ')} with a body policies cannot read (send JSON): use the tool, or a JSON body`,
      details: { reason: 'unreadable_body', tools: unreadable },
    });
  if (ctx.tool?.tool.records) return undefined; // filtered by the door itself
  const filtered = (ctx.alsoGovernedAs ?? []).filter((a) => a.tool.tool.records);
  if (filtered.length === 0) return undefined;
  if (!(await d.policies.forProject(ctx.request.projectId)).enforcesRecords) return undefined;
  return refusal({
    code: 'policy_denied',
    message: `record-level policies filter what ${filtered[0]!.tool.tool.slug} returns, and this call would return it unfiltered: use the tool`,
    details: { reason: 'records', tools: filtered.map((a) => a.tool.tool.slug) },
  });
}
