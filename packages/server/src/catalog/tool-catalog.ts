import { createHash } from 'node:crypto';
import {
  builtInToolkitAt,
  builtInToolkitVersions,
  loadBuiltInToolkits,
  parseToolkit,
  type ToolDefinition,
  type Toolkit,
  toolkitHash,
  UNIFIED_TOOLKIT_ID,
  unifiedTasksToolkit,
} from '@gatehouse/catalog';
import { CommittedCache } from '../store/committed-cache.js';
import type { Db } from '../store/db.js';
import type { GovernanceFeed } from '../store/governance-feed.js';
import type { Logger } from '../telemetry/logger.js';
import type { CustomToolkitStore, StoredToolkit } from './custom-toolkit-store.js';
import { ToolSearchIndex } from './search/tool-search.js';
import type { ToolkitPin, ToolkitPinStore } from './toolkit-pin-store.js';

/** A toolkit as one project sees it: shipped with Gatehouse (shared by every project) or its own. */
export interface CatalogToolkit {
  toolkit: Toolkit;
  custom: boolean;
  /**
   * The version the project uses: a shipped toolkit's released version (catalog toolkits/versions/),
   * the pinned one when the project pinned it; a custom toolkit's content hash.
   */
  version: string;
  /** Whether the project pinned this version (shipped toolkits only). */
  pinned: boolean;
}

/** A toolkit to build a catalog from; the version defaults to the shipped version or the content hash. */
export type CatalogToolkitInput = Pick<CatalogToolkit, 'toolkit' | 'custom'> & Partial<CatalogToolkit>;

/** One tool and the toolkit it belongs to. */
export interface ToolEntry {
  toolkit: Toolkit;
  tool: ToolDefinition;
  /** Its toolkit's version (catalog tools; a proxy action has none). */
  version?: string | undefined;
}

export interface CatalogTool extends ToolEntry {
  custom: boolean;
  /** The version of its toolkit this tool belongs to (audit names it). */
  version: string;
}

export interface RankedTool extends CatalogTool {
  score: number;
}

export interface ToolFilter {
  /** Only tools of these toolkit ids. */
  toolkits?: readonly string[] | undefined;
  /** Only tools of these providers, each named by provider id or toolkit id (`atlassian` or `jira`). */
  providers?: readonly string[] | undefined;
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
  /** Forgets this replica's view of a project after it changed the project's toolkits or pins. */
  invalidate(projectId: string): void;
  /** A shipped toolkit's released versions, newest first (undefined: not a shipped toolkit here). */
  builtInVersions(id: string): ShippedVersions | undefined;
  /** A shipped toolkit as it was at a released version. */
  builtInAt(id: string, version: string): Toolkit | undefined;
}

/** Where a catalog finds the released versions of shipped toolkits (the catalog package's data). */
export interface ShippedVersions {
  current: string;
  versions: ReadonlyArray<{ version: string; hash: string }>;
}
export interface VersionSource {
  versions(id: string): ShippedVersions | undefined;
  at(id: string, version: string): Toolkit | undefined;
}
const SHIPPED: VersionSource = { versions: builtInToolkitVersions, at: builtInToolkitAt };

/** A custom toolkit (or a shipped one missing from the version data) is versioned by its content. */
const versionOf = (entry: CatalogToolkitInput): string =>
  entry.version ??
  (entry.custom ? undefined : SHIPPED.versions(entry.toolkit.id)?.current) ??
  toolkitHash(entry.toolkit);

class Snapshot implements ProjectCatalog {
  private readonly bySlug = new Map<string, CatalogTool>();
  private readonly byId = new Map<string, CatalogToolkit>();
  private byProvider: Map<string, CatalogTool[]> | undefined;
  // Built on the first search of this snapshot (a few ms for hundreds of tools), then reused.
  private index: ToolSearchIndex | undefined;

  constructor(
    readonly version: string,
    toolkits: readonly CatalogToolkitInput[],
  ) {
    for (const input of toolkits) {
      const entry: CatalogToolkit = { ...input, version: versionOf(input), pinned: input.pinned ?? false };
      this.byId.set(entry.toolkit.id, entry);
      for (const tool of entry.toolkit.tools)
        this.bySlug.set(tool.slug, {
          toolkit: entry.toolkit,
          tool,
          custom: entry.custom,
          version: entry.version,
        });
    }
  }

  get(slug: string): CatalogTool | undefined {
    return this.bySlug.get(slug);
  }

  list(filter: ToolFilter = {}): CatalogTool[] {
    if (filter.search !== undefined && filter.search.trim() !== '')
      return this.search(filter.search, { toolkits: filter.toolkits, providers: filter.providers });
    return [...this.bySlug.values()].filter(({ toolkit }) => passes(toolkit, filter));
  }

  search(query: string, filter: Omit<ToolFilter, 'search'> & { limit?: number } = {}): RankedTool[] {
    this.index ??= new ToolSearchIndex(this.bySlug.values());
    const out: RankedTool[] = [];
    for (const hit of this.index.search(query)) {
      const tool = this.bySlug.get(hit.slug);
      if (!tool || !passes(tool.toolkit, filter)) continue;
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

function passes(toolkit: Toolkit, filter: Omit<ToolFilter, 'search'>): boolean {
  if (filter.toolkits && !filter.toolkits.includes(toolkit.id)) return false;
  const providers = filter.providers;
  return !providers || providers.includes(toolkit.provider) || providers.includes(toolkit.id);
}

/** A fixed catalog of these toolkits (benchmarks and tests that need no database). */
export const projectCatalogOf = (version: string, toolkits: readonly CatalogToolkitInput[]): ProjectCatalog =>
  new Snapshot(version, toolkits);

const MAX_PROJECT_VIEWS = 1_000;

type StoreVersion = { count: number; latest: string | null };

/**
 * Built-in toolkits shared by every project, each project's pins and custom toolkits layered on top.
 * Like policy versions, a project's toolkit version is cached per replica until a change to its custom
 * toolkits or pins drops it (here once committed, elsewhere on migration 0031's notification; `cacheMs`
 * is the backstop); custom toolkits and pins are re-read only when it changes.
 */
export class LayeredToolCatalog implements ToolCatalog {
  private readonly builtIn: Snapshot;
  private readonly builtInTag: string;
  private readonly versions: CommittedCache<string>;
  private readonly views = new Map<string, Snapshot>();
  private readonly shipped: VersionSource;

  constructor(
    builtIn: ReadonlyMap<string, Toolkit>,
    private readonly db: Pick<Db, 'inChange' | 'afterCommit'>,
    private readonly custom: CustomToolkitStore,
    private readonly pins: ToolkitPinStore,
    private readonly options: {
      cacheMs: number;
      log?: Logger | undefined;
      /** Shipped toolkit ids left out of this catalog (the sandbox's), still reserved. */
      reserved?: readonly string[] | undefined;
      /** Released versions of the shipped toolkits (default: the catalog package's data). */
      versions?: VersionSource | undefined;
      /** Other replicas' changes to custom toolkits and pins. */
      governance?: GovernanceFeed | undefined;
    },
  ) {
    this.shipped = options.versions ?? SHIPPED;
    const entries = [...builtIn.values()].map((toolkit) => ({
      toolkit,
      custom: false,
      version: this.shipped.versions(toolkit.id)?.current ?? toolkitHash(toolkit),
    }));
    this.builtInTag = createHash('sha256')
      .update(entries.map((e) => `${e.toolkit.id}@${e.version}`).join(','))
      .digest('hex')
      .slice(0, 8);
    this.builtIn = new Snapshot(this.builtInTag, entries);
    const feed = options.governance;
    this.versions = new CommittedCache(db, options.cacheMs, feed && { feed, kinds: ['toolkit'] });
  }

  async forProject(projectId: string): Promise<ProjectCatalog> {
    const version = await this.versions.read(projectId, async () => {
      const [custom, pins] = await Promise.all([
        this.custom.version(projectId),
        this.pins.version(projectId),
      ]);
      return this.versionOf(custom, pins);
    });
    if (version === this.builtInTag) return this.builtIn;
    const cached = this.views.get(projectId);
    if (cached?.version === version) return cached;
    // Read together, so the view's version is computed from the rows it is built from.
    const [rows, pins] = await Promise.all([this.custom.list(projectId), this.pins.list(projectId)]);
    const view = new Snapshot(
      this.versionOf(
        { count: rows.length, latest: latestOf(rows.map((r) => r.version)) },
        { count: pins.length, latest: latestOf(pins.map((p) => p.stamp)) },
      ),
      [...this.pinned(projectId, pins), ...this.usable(projectId, rows)],
    );
    // A view read inside an atomic change may hold its uncommitted toolkits: used, not kept.
    if (this.db.inChange) return view;
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

  /** After a change to the project's toolkits or pins: dropped now and once the change commits. */
  invalidate(projectId: string): void {
    this.versions.drop(projectId);
  }

  builtInVersions(id: string): ShippedVersions | undefined {
    return this.builtIn.toolkit(id) ? this.shipped.versions(id) : undefined;
  }

  builtInAt(id: string, version: string): Toolkit | undefined {
    return this.builtIn.toolkit(id) ? this.shipped.at(id, version) : undefined;
  }

  private versionOf(custom: StoreVersion, pins: StoreVersion): string {
    if (custom.count === 0 && pins.count === 0) return this.builtInTag;
    return `${this.builtInTag}.${custom.count}.${custom.latest}.p${pins.count}.${pins.latest}`;
  }

  /**
   * The shipped toolkits with the project's pinned versions in place of the current ones. A pin of a
   * version this build no longer has (history is kept, so only after a downgrade) serves the current
   * version and is logged, rather than leaving the project without the toolkit.
   */
  private pinned(projectId: string, pins: readonly ToolkitPin[]): CatalogToolkitInput[] {
    const byId = new Map(pins.map((p) => [p.toolkitId, p.version]));
    return this.builtIn.toolkits().map((entry) => {
      const version = byId.get(entry.toolkit.id);
      if (version === undefined || version === entry.version)
        return { ...entry, pinned: version !== undefined };
      const toolkit = this.shipped.at(entry.toolkit.id, version);
      if (toolkit) return { toolkit, custom: false, version, pinned: true };
      this.options.log?.warn(
        { project_id: projectId, toolkit: entry.toolkit.id, version },
        'pinned toolkit version not found; serving the current version',
      );
      return entry;
    });
  }

  /**
   * Stored toolkits were checked when they were written; one that no longer parses (after an
   * upgrade) or now collides with a shipped toolkit is left out and logged, never served.
   */
  private usable(projectId: string, rows: readonly StoredToolkit[]): CatalogToolkitInput[] {
    const out: CatalogToolkitInput[] = [];
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
  db: Pick<Db, 'inChange' | 'afterCommit'>;
  store: CustomToolkitStore;
  pins: ToolkitPinStore;
  versions?: VersionSource | undefined;
  sandbox: boolean;
  cacheMs: number;
  log?: Logger | undefined;
  governance?: GovernanceFeed | undefined;
}): LayeredToolCatalog {
  // Loads and compiles every shipped toolkit now (~250 ms), not on the first user's call.
  const shipped = loadBuiltInToolkits({ sandbox: true });
  const builtIn = withUnified(deps.sandbox ? shipped : loadBuiltInToolkits({ sandbox: false }));
  return new LayeredToolCatalog(builtIn, deps.db, deps.store, deps.pins, {
    cacheMs: deps.cacheMs,
    log: deps.log,
    governance: deps.governance,
    versions: deps.versions,
    reserved: [...shipped.keys()].filter((id) => !builtIn.has(id)),
  });
}

/** The unified tasks tools (`unified.tasks.*`) sit next to the shipped toolkits they map onto. */
const withUnified = (toolkits: ReadonlyMap<string, Toolkit>): ReadonlyMap<string, Toolkit> =>
  new Map([...toolkits, [UNIFIED_TOOLKIT_ID, unifiedTasksToolkit()]]);

const latestOf = (values: readonly string[]): string | null => [...values].sort().at(-1) ?? null;
