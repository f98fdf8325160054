import type { ProviderDefinition } from '@gatehouse/catalog';
import { newId } from '../shared/ids.js';
import type { Db } from '../store/db.js';

export interface CustomProvider {
  id: string;
  projectId: string;
  definition: ProviderDefinition;
  createdAt: Date;
  updatedAt: Date;
}

interface Row extends Record<string, unknown> {
  id: string;
  project_id: string;
  slug: string;
  definition: ProviderDefinition;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, project_id, slug, definition, created_at, updated_at';
const toCustom = (r: Row): CustomProvider => ({
  id: r.id,
  projectId: r.project_id,
  definition: r.definition,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** Providers registered by a project; `definition.id` is the slug auth configs refer to. */
export class CustomProviderStore {
  constructor(private readonly db: Db) {}

  async bySlug(projectId: string, slug: string): Promise<CustomProvider | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM custom_providers WHERE project_id = $1 AND slug = $2`,
      [projectId, slug],
    );
    return rows[0] ? toCustom(rows[0]) : undefined;
  }

  async list(projectId: string): Promise<CustomProvider[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM custom_providers WHERE project_id = $1 ORDER BY slug`,
      [projectId],
    );
    return rows.map(toCustom);
  }

  /** Inserts, or replaces the definition of an existing slug. */
  async upsert(projectId: string, definition: ProviderDefinition): Promise<CustomProvider> {
    const { rows } = await this.db.query<Row>(
      `INSERT INTO custom_providers (id, project_id, slug, definition) VALUES ($1, $2, $3, $4)
       ON CONFLICT (project_id, slug) DO UPDATE SET definition = EXCLUDED.definition, updated_at = now()
       RETURNING ${COLUMNS}`,
      [newId('cp'), projectId, definition.id, JSON.stringify(definition)],
    );
    return toCustom(rows[0]!);
  }

  async delete(projectId: string, slug: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'DELETE FROM custom_providers WHERE project_id = $1 AND slug = $2',
      [projectId, slug],
    );
    return rowCount > 0;
  }
}
