import type { Toolkit } from '@gatehouse/catalog';
import { fail, ok, type Result } from '../shared/result.js';
import type { ToolCatalog } from './tool-catalog.js';
import type { ToolkitPin, ToolkitPinStore } from './toolkit-pin-store.js';

/** One released version of a toolkit, as a project sees it. */
export interface VersionView {
  version: string;
  hash: string;
  /** The version the data files hold now (what an unpinned project uses). */
  latest: boolean;
  /** The version this project uses (its pin, or the latest). */
  inUse: boolean;
}

export interface ToolkitVersionsView {
  toolkitId: string;
  latestVersion: string;
  pinnedVersion: string | null;
  versions: VersionView[];
}

/**
 * Pins of shipped toolkits: a project keeps the tools of a released version until it moves on.
 * Custom toolkits are the project's own data and are not pinned (their version is their content).
 */
export class ToolkitPins {
  constructor(
    private readonly store: ToolkitPinStore,
    private readonly catalog: ToolCatalog,
  ) {}

  async versions(projectId: string, id: string): Promise<Result<ToolkitVersionsView>> {
    const found = await this.shipped(projectId, id);
    if (!found.ok) return found;
    const { versions, pin } = found.value;
    const inUse = pin?.version ?? versions.current;
    return ok({
      toolkitId: id,
      latestVersion: versions.current,
      pinnedVersion: pin?.version ?? null,
      versions: versions.versions.map((v) => ({
        version: v.version,
        hash: v.hash,
        latest: v.version === versions.current,
        inUse: v.version === inUse,
      })),
    });
  }

  /** A shipped toolkit's definition at one released version. */
  async at(projectId: string, id: string, version: string): Promise<Result<Toolkit>> {
    const found = await this.shipped(projectId, id);
    if (!found.ok) return found;
    const toolkit = this.catalog.builtInAt(id, version);
    return toolkit ? ok(toolkit) : fail('not_found', `toolkit ${id} has no version ${version}`);
  }

  async pin(projectId: string, id: string, version: string): Promise<Result<ToolkitPin>> {
    const found = await this.shipped(projectId, id);
    if (!found.ok) return found;
    const known = found.value.versions.versions.map((v) => v.version);
    if (!known.includes(version) || !this.catalog.builtInAt(id, version))
      return fail(
        'unknown_toolkit_version',
        `toolkit ${id} has no version ${version}; it has ${known.join(', ')}`,
        {
          issues: [{ path: 'body.version', message: `must be one of ${known.join(', ')}` }],
        },
      );
    const pin = await this.store.set(projectId, id, version);
    this.catalog.invalidate(projectId);
    return ok(pin);
  }

  async unpin(projectId: string, id: string): Promise<Result<void>> {
    const found = await this.shipped(projectId, id);
    if (!found.ok) return found;
    const deleted = await this.store.delete(projectId, id);
    this.catalog.invalidate(projectId);
    return deleted ? ok(undefined) : fail('not_found', `toolkit ${id} is not pinned`);
  }

  private async shipped(projectId: string, id: string) {
    const entry = (await this.catalog.forProject(projectId)).toolkit(id);
    if (!entry) return fail('not_found', `toolkit ${id} not found`);
    const versions = this.catalog.builtInVersions(id);
    if (entry.custom || !versions)
      return fail('conflict', `${id} is a custom toolkit: its version is its content, it cannot be pinned`);
    const pin = (await this.store.list(projectId)).find((p) => p.toolkitId === id);
    return ok({ versions, pin });
  }
}
