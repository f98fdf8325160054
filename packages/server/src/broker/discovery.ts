import type { AccountStore, ConnectedAccount } from '../accounts/store.js';
import type { CatalogTool, ToolCatalog } from '../catalog/tool-catalog.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { Page, PageResult } from '../store/pagination.js';

export type ConnectionStatus = 'connected' | 'missing_scopes' | 'inactive' | 'not_connected';

export interface ToolView {
  slug: string;
  name: string;
  description: string;
  toolkit: string;
  provider: string;
  risk: string;
  scopes: string[];
  inputSchema: unknown;
  connection?: { status: ConnectionStatus; connectedAccountIds: string[]; missingScopes: string[] };
}

export interface ToolQuery {
  userId?: string | undefined;
  toolkits?: string[] | undefined;
  /** Provider ids or toolkit ids (`provider=jira` or `provider=atlassian`). */
  providers?: string[] | undefined;
  search?: string | undefined;
}

/** Tools with their schemas and, for a user, whether a usable connection exists and which scopes are missing. */
export class ToolDiscovery {
  constructor(
    private readonly accounts: AccountStore,
    private readonly catalog: ToolCatalog,
  ) {}

  async list(projectId: string, q: ToolQuery): Promise<ToolView[]> {
    const tools = await this.catalog.list(projectId, {
      toolkits: q.toolkits,
      providers: q.providers,
      search: q.search,
    });
    const accounts = q.userId ? await this.userAccounts(projectId, q.userId) : undefined;
    return tools.map((t) => view(t, accounts));
  }

  /**
   * One page of `list`: in catalog order, or best first with a search. The cursor wraps the last slug
   * shown; the next page holds the matching tools after it (in the catalog, so a cursor stays valid
   * across filters; with a search, in the ranking of the same query).
   */
  async page(projectId: string, q: ToolQuery, page: Page): Promise<Result<PageResult<ToolView>>> {
    const catalog = await this.catalog.forProject(projectId);
    const ranked = q.search !== undefined && q.search.trim() !== '';
    const filter = { toolkits: q.toolkits, providers: q.providers };
    const all = ranked ? catalog.list({ ...filter, search: q.search }) : catalog.list();
    let start = 0;
    if (page.cursor !== undefined) {
      const slug = Buffer.from(page.cursor, 'base64url').toString('utf8');
      const at = all.findIndex(({ tool }) => tool.slug === slug);
      if (at < 0 || !/^[A-Za-z0-9_-]+$/.test(page.cursor))
        return fail('invalid_cursor', 'not a cursor this API issued (pass back a nextCursor unchanged)');
      start = at + 1;
    }
    const after = new Set(all.slice(start).map((t) => t.tool.slug));
    const found = (ranked ? all : catalog.list(filter)).filter((t) => after.has(t.tool.slug));
    const shown = found.slice(0, page.limit);
    const accounts = q.userId ? await this.userAccounts(projectId, q.userId) : undefined;
    const last = shown.at(-1);
    return ok({
      items: shown.map((t) => view(t, accounts)),
      nextCursor:
        found.length > page.limit && last ? Buffer.from(last.tool.slug).toString('base64url') : null,
    });
  }

  async get(projectId: string, slug: string, userId?: string): Promise<ToolView | undefined> {
    const found = await this.catalog.get(projectId, slug);
    if (!found) return undefined;
    return view(found, userId ? await this.userAccounts(projectId, userId) : undefined);
  }

  private async userAccounts(projectId: string, userId: string): Promise<ConnectedAccount[]> {
    return (await this.accounts.list(projectId, { userId }, { limit: 200 })).items;
  }
}

function view({ toolkit, tool }: CatalogTool, accounts: ConnectedAccount[] | undefined): ToolView {
  const base: ToolView = {
    slug: tool.slug,
    name: tool.name,
    description: tool.description,
    toolkit: toolkit.id,
    provider: toolkit.provider,
    risk: tool.risk,
    scopes: tool.scopes,
    inputSchema: tool.input,
  };
  if (!accounts) return base;
  const mine = accounts.filter((a) => a.providerId === toolkit.provider);
  const active = mine.filter((a) => a.status === 'ACTIVE');
  const missingFor = (a: ConnectedAccount) => tool.scopes.filter((s) => !a.scopes.includes(s));
  const usable = active.filter((a) => missingFor(a).length === 0);
  let status: ConnectionStatus = 'not_connected';
  if (usable.length > 0) status = 'connected';
  else if (active.length > 0) status = 'missing_scopes';
  else if (mine.length > 0) status = 'inactive';
  const fewestMissing =
    active.map(missingFor).sort((a, b) => a.length - b.length)[0] ??
    (status === 'not_connected' ? tool.scopes : []);
  return {
    ...base,
    connection: {
      status,
      connectedAccountIds: (usable.length > 0 ? usable : mine).map((a) => a.id),
      missingScopes: status === 'connected' ? [] : fewestMissing,
    },
  };
}
