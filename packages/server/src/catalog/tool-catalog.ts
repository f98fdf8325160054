import { createHash } from 'node:crypto';
import { loadBuiltInToolkits, parseToolkit, type ToolDefinition, type Toolkit } from '@gatehouse/catalog';
import { TtlCache } from '../shared/ttl-cache.js';
import type { Logger } from '../telemetry/logger.js';
import type { CustomToolkitStore, StoredToolkit } from './custom-toolkit-store.js';
import { ToolSearchIndex } from './search/tool-search.js';

/** A toolkit as one project sees it: shipped with Gatehouse (shared by every project) or its own. */
export interface CatalogToolkit {
  toolkit: Toolkit;
  custom: boolean;
}

/** One tool and the toolkit it belongs to. */
export interface ToolEntry {
  toolkit: Toolkit;
  tool: ToolDefinition;
}

export interface CatalogTool extends ToolEntry {
  custom: boolean;
}

export interface RankedTool extends CatalogTool {
  score: number;
}

export interface ToolFilter {
  /** Only tools of these toolkit ids. */
  toolkits?: readonly string[] | undefined;
  /**
   * Intent search: tools ranked by relevance (BM25 with stemming and synonyms, `search/tool-search.ts`)
   * over names, slugs, argument names and descriptions; only tools matching a query word or synonym.
   */
  search?: string | undefined;
}

/** A project's catalog at one version: built-in toolkits with the project's custom toolkits on top. */
export interface ProjectCatalog {
  /** Changes whenever the project's toolkits change (caches derived from the catalog key on it). */
  readonly version: string;
  get(slug: string): CatalogTool | undefined;
  /** Catalog order, or best first when the filter has a search. */
  list(filter?: ToolFilter): CatalogTool[];
  /** Best first, with each tool's relevance score. */
  search(query: string, filter?: Omit<ToolFilter, 'search'> & { limit?: number }): RankedTool[];
  toolkits(): CatalogToolkit[];
  toolkit(id: string): CatalogToolkit | undefined;
  /** Every tool that calls this provider's API (the proxy decides a raw request as each it matches). */
  ofProvider(providerId: string): readonly CatalogTool[];
}

/**
 * The tools a project can use, injected wherever a tool is looked up (broker, discovery, policies,
 * limits, approvals, connect, MCP). Built in once in the composition root; there is no global.
 */
export interface ToolCatalog {
  /** The project's catalog now (one lookup, then synchronous reads of a consistent snapshot). */
  forProject(projectId: string): Promise<ProjectCatalog>;
  get(projectId: string, slug: string): Promise<CatalogTool | undefined>;
  list(projectId: string, filter?: ToolFilter): Promise<CatalogTool[]>;
  toolkits(projectId: string): Promise<CatalogToolkit[]>;
  version(projectId: string): Promise<string>;
  /** Whether a toolkit id is taken by a shipped toolkit, loaded here or not (custom toolkits may not reuse it). */
  isBuiltInToolkit(id: string): boolean;
  /** The tool slug of a shipped toolkit, if any (custom toolkits may not reuse it). */
  isBuiltInTool(slug: string): boolean;
  /** Forgets this replica's view of a project after it changed the project's toolkits. */
  invalidate(projectId: string): void;
}

class Snapshot implements ProjectCatalog {
  private readonly bySlug = new Map<string, CatalogTool>();
  private readonly byId = new Map<string, CatalogToolkit>();
  private byProvider: Map<string, CatalogTool[]> | undefined;
  // Built on the first search of this snapshot (a few ms for hundreds of tools), then reused.
  private index: ToolSearchIndex | undefined;

  constructor(
    readonly version: string,
    toolkits: readonly CatalogToolkit[],
  ) {
    for (const entry of toolkits) {
      this.byId.set(entry.toolkit.id, entry);
      for (const tool of entry.toolkit.tools)
        this.bySlug.set(tool.slug, { toolkit: entry.toolkit, tool, custom: entry.custom });
    }
  }

  get(slug: string): CatalogTool | undefined {
    return this.bySlug.get(slug);
  }

  list(filter: ToolFilter = {}): CatalogTool[] {
    if (filter.search !== undefined && filter.search.trim() !== '')
      return this.search(filter.search, { toolkits: filter.toolkits });
    const toolkits = filter.toolkits;
    return [...this.bySlug.values()].filter(({ toolkit }) => !toolkits || toolkits.includes(toolkit.id));
  }

  search(query: string, filter: Omit<ToolFilter, 'search'> & { limit?: number } = {}): RankedTool[] {
    this.index ??= new ToolSearchIndex(this.bySlug.values());
    const toolkits = filter.toolkits;
    const out: RankedTool[] = [];
    for (const hit of this.index.search(query)) {
      const tool = this.bySlug.get(hit.slug);
      if (!tool || (toolkits && !toolkits.includes(tool.toolkit.id))) continue;
      out.push({ ...tool, score: hit.score });
      if (out.length === filter.limit) break;
    }
    return out;
  }

  toolkits(): CatalogToolkit[] {
    return [...this.byId.values()];
  }

  toolkit(id: string): CatalogToolkit | undefined {
    return this.byId.get(id);
  }

  ofProvider(providerId: string): readonly CatalogTool[] {
    if (!this.byProvider) {
      this.byProvider = new Map();
      for (const t of this.bySlug.values())
        this.byProvider.set(t.toolkit.provider, [...(this.byProvider.get(t.toolkit.provider) ?? []), t]);
    }
    return this.byProvider.get(providerId) ?? [];
  }
}

/** A fixed catalog of these toolkits (benchmarks and tests that need no database). */
export const projectCatalogOf = (version: string, toolkits: readonly CatalogToolkit[]): ProjectCatalog =>
  new Snapshot(version, toolkits);

const MAX_PROJECT_VIEWS = 1_000;

/**
 * Built-in toolkits shared by every project, each project's custom toolkits layered on top. Like
 * policy versions, a project's toolkit version is trusted for `cacheMs` per replica (a change made
 * through this replica applies at once); the custom toolkits are re-read only when it changes.
 */
export class LayeredToolCatalog implements ToolCatalog {
  private readonly builtIn: Snapshot;
  private readonly builtInTag: string;
  private readonly versions: TtlCache<string>;
  private readonly views = new Map<string, Snapshot>();

  constructor(
    builtIn: ReadonlyMap<string, Toolkit>,
    private readonly custom: CustomToolkitStore,
    private readonly options: {
      cacheMs: number;
      log?: Logger | undefined;
      /** Shipped toolkit ids left out of this catalog (the sandbox's), still reserved. */
      reserved?: readonly string[] | undefined;
    },
  ) {
    this.builtInTag = createHash('sha256')
      .update([...builtIn.keys()].sort().join(','))
      .digest('hex')
      .slice(0, 8);
    this.builtIn = new Snapshot(
      this.builtInTag,
      [...builtIn.values()].map((toolkit) => ({ toolkit, custom: false })),
    );
    this.versions = new TtlCache(options.cacheMs);
  }

  async forProject(projectId: string): Promise<ProjectCatalog> {
    let version = this.versions.get(projectId);
    if (version === undefined) {
      version = this.versionOf(await this.custom.version(projectId));
      this.versions.set(projectId, version);
    }
    if (version === this.builtInTag) return this.builtIn;
    const cached = this.views.get(projectId);
    if (cached?.version === version) return cached;
    const rows = await this.custom.list(projectId);
    const view = new Snapshot(
      this.versionOf({
        count: rows.length,
        latest:
          rows
            .map((r) => r.version)
            .sort()
            .at(-1) ?? null,
      }),
      [...this.builtIn.toolkits(), ...this.usable(projectId, rows)],
    );
    if (this.views.size >= MAX_PROJECT_VIEWS && !this.views.has(projectId)) {
      const oldest = this.views.keys().next();
      if (!oldest.done) this.views.delete(oldest.value);
    }
    this.views.set(projectId, view);
    return view;
  }

  async get(projectId: string, slug: string): Promise<CatalogTool | undefined> {
    return (await this.forProject(projectId)).get(slug);
  }

  async list(projectId: string, filter?: ToolFilter): Promise<CatalogTool[]> {
    return (await this.forProject(projectId)).list(filter);
  }

  async toolkits(projectId: string): Promise<CatalogToolkit[]> {
    return (await this.forProject(projectId)).toolkits();
  }

  async version(projectId: string): Promise<string> {
    return (await this.forProject(projectId)).version;
  }

  isBuiltInToolkit(id: string): boolean {
    return this.builtIn.toolkit(id) !== undefined || (this.options.reserved ?? []).includes(id);
  }

  isBuiltInTool(slug: string): boolean {
    return this.builtIn.get(slug) !== undefined;
  }

  invalidate(projectId: string): void {
    this.versions.delete(projectId);
  }

  private versionOf(custom: { count: number; latest: string | null }): string {
    return custom.count === 0 ? this.builtInTag : `${this.builtInTag}.${custom.count}.${custom.latest}`;
  }

  /**
   * Stored toolkits were checked when they were written; one that no longer parses (after an
   * upgrade) or now collides with a shipped toolkit is left out and logged, never served.
   */
  private usable(projectId: string, rows: readonly StoredToolkit[]): CatalogToolkit[] {
    const out: CatalogToolkit[] = [];
    for (const row of rows) {
      const parsed = parseToolkit(row.definition);
      const problem = !parsed.ok
        ? parsed.error.message
        : this.isBuiltInToolkit(parsed.value.id) || parsed.value.tools.some((t) => this.isBuiltInTool(t.slug))
          ? 'collides with a built-in toolkit'
          : undefined;
      if (problem !== undefined || !parsed.ok) {
        this.options.log?.warn(
          { project_id: projectId, toolkit: row.id, problem },
          'custom toolkit left out of the catalog',
        );
        continue;
      }
      out.push({ toolkit: parsed.value, custom: true });
    }
    return out;
  }
}

/**
 * The composition root's catalog: the shipped toolkits (the sandbox's only where the sandbox provider
 * runs) and the project's custom toolkits from the database. The one place that loads shipped toolkits.
 */
export function createToolCatalog(deps: {
  store: CustomToolkitStore;
  sandbox: boolean;
  cacheMs: number;
  log?: Logger | undefined;
}): LayeredToolCatalog {
  // Loads and compiles every shipped toolkit now (~250 ms), not on the first user's call.
  const shipped = loadBuiltInToolkits({ sandbox: true });
  const builtIn = deps.sandbox ? shipped : loadBuiltInToolkits({ sandbox: false });
  return new LayeredToolCatalog(builtIn, deps.store, {
    cacheMs: deps.cacheMs,
    log: deps.log,
    reserved: [...shipped.keys()].filter((id) => !builtIn.has(id)),
  });
}
