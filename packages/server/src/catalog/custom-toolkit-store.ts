import type { Toolkit } from '@gatehouse/catalog';
import type { Db } from '../store/db.js';

/** Where a custom toolkit came from: a toolkit definition, or the OpenAPI importer. */
export type ToolkitSource = 'definition' | 'openapi';

export interface StoredToolkit {
  id: string;
  providerId: string;
  source: ToolkitSource;
  /** The toolkit as validated when it was written (parsed again when loaded). */
  definition: unknown;
  /** Changes on every write (the row's update time, to the microsecond). */
  version: string;
  createdAt: Date;
  updatedAt: Date;
}

interface Row extends Record<string, unknown> {
  toolkit_id: string;
  provider_id: string;
  source: ToolkitSource;
  definition: unknown;
  version: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'toolkit_id, provider_id, source, definition, updated_at::text AS version, created_at, updated_at';
const toStored = (r: Row): StoredToolkit => ({
  id: r.toolkit_id,
  providerId: r.provider_id,
  source: r.source,
  definition: r.definition,
  version: r.version,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

/** A project's own toolkits. Every query is scoped by the project. */
export class CustomToolkitStore {
  constructor(private readonly db: Db) {}

  /** How many toolkits the project has and when the latest changed: together, its catalog version. */
  async version(projectId: string): Promise<{ count: number; latest: string | null }> {
    const { rows } = await this.db.query<{ n: string; latest: string | null }>(
      'SELECT count(*) AS n, max(updated_at)::text AS latest FROM custom_toolkits WHERE project_id = $1',
      [projectId],
    );
    return { count: Number(rows[0]?.n ?? 0), latest: rows[0]?.latest ?? null };
  }

  async list(projectId: string): Promise<StoredToolkit[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM custom_toolkits WHERE project_id = $1 ORDER BY toolkit_id`,
      [projectId],
    );
    return rows.map(toStored);
  }

  async get(projectId: string, id: string): Promise<StoredToolkit | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM custom_toolkits WHERE project_id = $1 AND toolkit_id = $2`,
      [projectId, id],
    );
    return rows[0] ? toStored(rows[0]) : undefined;
  }

  /** Inserts, or replaces the definition of an existing toolkit id. */
  async upsert(projectId: string, toolkit: Toolkit, source: ToolkitSource): Promise<StoredToolkit> {
    const { rows } = await this.db.query<Row>(
      `INSERT INTO custom_toolkits (project_id, toolkit_id, provider_id, source, definition)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (project_id, toolkit_id) DO UPDATE SET provider_id = EXCLUDED.provider_id,
         source = EXCLUDED.source, definition = EXCLUDED.definition, updated_at = clock_timestamp()
       RETURNING ${COLUMNS}`,
      [projectId, toolkit.id, toolkit.provider, source, JSON.stringify(toolkit)],
    );
    return toStored(rows[0]!);
  }

  async delete(projectId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'DELETE FROM custom_toolkits WHERE project_id = $1 AND toolkit_id = $2',
      [projectId, id],
    );
    return rowCount > 0;
  }
}
