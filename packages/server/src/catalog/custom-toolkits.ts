import {
  type ImportConfig,
  type Issue,
  importOpenApi,
  parseToolkit,
  type Toolkit,
  toolkitHash,
  toolkitProviderMismatch,
} from '@gatehouse/catalog';
import type { CustomProviderStore } from '../providers/custom-store.js';
import { findDefinition } from '../providers/resolve.js';
import { fail, ok, type Result } from '../shared/result.js';
import type { CustomToolkitStore, StoredToolkit, ToolkitSource } from './custom-toolkit-store.js';
import type { CatalogToolkit, ToolCatalog } from './tool-catalog.js';

/** A toolkit as the API shows it: where it comes from, and the definition itself. */
export interface ToolkitEntry {
  toolkit: Toolkit;
  custom: boolean;
  /** The version the project uses (a pinned one, or the latest); a custom toolkit's content hash. */
  version: string;
  pinned: boolean;
  /** The newest released version (equal to version unless pinned to an older one). */
  latestVersion: string;
  source: ToolkitSource | null;
  createdAt: Date | null;
  updatedAt: Date | null;
}

const invalidToolkit = (message: string, issues: Issue[]) => fail('invalid_toolkit', message, { issues });

/**
 * A project's own toolkits: written whole (the catalog's toolkit schema) or imported from an OpenAPI
 * document, checked against the provider they name (built-in or the project's custom provider) and
 * never shadowing a built-in toolkit or tool. Reads come from the catalog, so they show what runs.
 */
export class CustomToolkits {
  constructor(
    private readonly store: CustomToolkitStore,
    private readonly catalog: ToolCatalog,
    private readonly providers: CustomProviderStore,
  ) {}

  async list(projectId: string): Promise<ToolkitEntry[]> {
    const [toolkits, stored] = await Promise.all([
      this.catalog.toolkits(projectId),
      this.store.list(projectId),
    ]);
    const rows = new Map(stored.map((s) => [s.id, s]));
    return toolkits.map((t) => this.entry(t, rows.get(t.toolkit.id)));
  }

  async get(projectId: string, id: string): Promise<ToolkitEntry | undefined> {
    const found = (await this.catalog.forProject(projectId)).toolkit(id);
    if (!found) return undefined;
    return this.entry(found, found.custom ? await this.store.get(projectId, id) : undefined);
  }

  /** `PUT /v1/toolkits/{id}`: creates or replaces a custom toolkit. */
  async put(projectId: string, id: string, input: unknown): Promise<Result<ToolkitEntry>> {
    if (this.catalog.isBuiltInToolkit(id))
      return fail('conflict', `${id} is a built-in toolkit; choose another id`);
    const parsed = parseToolkit(input);
    if (!parsed.ok) return invalidToolkit(parsed.error.message, parsed.error.issues);
    if (parsed.value.id !== id) return fail('invalid_request', 'body.id must match the id in the path');
    return this.save(projectId, parsed.value, 'definition');
  }

  /** `POST /v1/toolkits/import-openapi`: the catalog's importer, then the same checks as a PUT. */
  async importOpenApi(projectId: string, openapi: object, selection: unknown): Promise<Result<ToolkitEntry>> {
    let imported: ReturnType<typeof importOpenApi>;
    try {
      imported = importOpenApi(openapi, selection as ImportConfig);
    } catch (cause) {
      // The importer reports what it understands; anything else in an untrusted document is still a 400.
      const message = `the document cannot be imported: ${(cause as Error).message}`;
      return fail('invalid_openapi', message, { issues: [{ path: 'body.openapi', message }] });
    }
    if (!imported.ok) {
      // `config.…` and `spec.…` name the request's inputs; `toolkit.…` what they turned into.
      const { issues } = imported.error;
      const code = issues.every((i) => i.path.startsWith('toolkit')) ? 'invalid_toolkit' : 'invalid_openapi';
      const located = issues.map((i) => ({
        ...i,
        path: i.path.replace(/^config\b/, 'body.selection').replace(/^spec\b/, 'body.openapi'),
      }));
      return fail(code, located.map((i) => `${i.path}: ${i.message}`).join('; '), { issues: located });
    }
    return this.save(projectId, imported.value, 'openapi');
  }

  async delete(projectId: string, id: string): Promise<Result<void>> {
    if (this.catalog.isBuiltInToolkit(id))
      return fail('conflict', `${id} is a built-in toolkit; only custom toolkits can be deleted`);
    const deleted = await this.store.delete(projectId, id);
    this.catalog.invalidate(projectId);
    return deleted ? ok(undefined) : fail('not_found', `custom toolkit ${id} not found`);
  }

  private async save(
    projectId: string,
    toolkit: Toolkit,
    source: ToolkitSource,
  ): Promise<Result<ToolkitEntry>> {
    if (this.catalog.isBuiltInToolkit(toolkit.id))
      return fail('conflict', `${toolkit.id} is a built-in toolkit; choose another id`);
    const taken = toolkit.tools.find((t) => this.catalog.isBuiltInTool(t.slug));
    if (taken) return fail('conflict', `${taken.slug} is a built-in tool; choose another slug`);
    const provider = await findDefinition(
      { custom: this.providers, allowInternalProviders: false },
      projectId,
      toolkit.provider,
    );
    if (!provider) {
      const message = `${toolkit.provider} is neither a built-in provider nor a custom provider of this project`;
      return invalidToolkit(`provider: ${message}`, [{ path: 'provider', message }]);
    }
    const problem = toolkitProviderMismatch(toolkit, provider.definition);
    if (problem) {
      const at = problem.indexOf(': ');
      return invalidToolkit(problem, [{ path: problem.slice(0, at), message: problem.slice(at + 2) }]);
    }
    const saved = await this.store.upsert(projectId, toolkit, source);
    this.catalog.invalidate(projectId);
    const version = toolkitHash(toolkit);
    return ok(this.entry({ toolkit, custom: true, version, pinned: false }, saved));
  }

  private entry(t: CatalogToolkit, stored: StoredToolkit | undefined): ToolkitEntry {
    return {
      toolkit: t.toolkit,
      custom: t.custom,
      version: t.version,
      pinned: t.pinned,
      latestVersion:
        (t.custom ? undefined : this.catalog.builtInVersions(t.toolkit.id)?.current) ?? t.version,
      source: stored?.source ?? null,
      createdAt: stored?.createdAt ?? null,
      updatedAt: stored?.updatedAt ?? null,
    };
  }
}
