import type { Db } from '../store/db.js';

export interface ToolkitPin {
  toolkitId: string;
  version: string;
  pinnedAt: Date;
  /** The row's update time to the microsecond, as the catalog version query prints it. */
  stamp: string;
}

interface Row extends Record<string, unknown> {
  toolkit_id: string;
  version: string;
  updated_at: Date;
  stamp: string;
}

const COLUMNS = 'toolkit_id, version, updated_at, updated_at::text AS stamp';
const toPin = (r: Row): ToolkitPin => ({
  toolkitId: r.toolkit_id,
  version: r.version,
  pinnedAt: r.updated_at,
  stamp: r.stamp,
});

/** The versions of shipped toolkits a project pinned. Every query is scoped by the project. */
export class ToolkitPinStore {
  constructor(private readonly db: Db) {}

  /** How many pins and when the latest changed: together, part of the project's catalog version. */
  async version(projectId: string): Promise<{ count: number; latest: string | null }> {
    const { rows } = await this.db.query<{ n: string; latest: string | null }>(
      'SELECT count(*) AS n, max(updated_at)::text AS latest FROM toolkit_pins WHERE project_id = $1',
      [projectId],
    );
    return { count: Number(rows[0]?.n ?? 0), latest: rows[0]?.latest ?? null };
  }

  async list(projectId: string): Promise<ToolkitPin[]> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM toolkit_pins WHERE project_id = $1 ORDER BY toolkit_id`,
      [projectId],
    );
    return rows.map(toPin);
  }

  async set(projectId: string, toolkitId: string, version: string): Promise<ToolkitPin> {
    const { rows } = await this.db.query<Row>(
      `INSERT INTO toolkit_pins (project_id, toolkit_id, version) VALUES ($1, $2, $3)
       ON CONFLICT (project_id, toolkit_id) DO UPDATE SET version = EXCLUDED.version, updated_at = clock_timestamp()
       RETURNING ${COLUMNS}`,
      [projectId, toolkitId, version],
    );
    return toPin(rows[0]!);
  }

  async delete(projectId: string, toolkitId: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'DELETE FROM toolkit_pins WHERE project_id = $1 AND toolkit_id = $2',
      [projectId, toolkitId],
    );
    return rowCount > 0;
  }
}
