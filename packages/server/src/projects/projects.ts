import { newId } from '../shared/ids.js';
import type { Db } from '../store/db.js';
import { decodeCursor, type Page, type PageResult, toPage } from '../store/pagination.js';

export interface Project {
  id: string;
  name: string;
  createdAt: Date;
}

interface ProjectRow extends Record<string, unknown> {
  id: string;
  name: string;
  created_at: Date;
}

const toProject = (r: ProjectRow): Project => ({ id: r.id, name: r.name, createdAt: r.created_at });

/** Projects are the tenants; this is the only table whose rows are not scoped by a project id. */
export class ProjectStore {
  constructor(
    private readonly db: Db,
    /** Whether new projects may use the raw proxy (off by default in production: see proxy/settings.ts). */
    private readonly proxyByDefault: boolean,
  ) {}

  async create(name: string): Promise<Project> {
    const { rows } = await this.db.query<ProjectRow>(
      `WITH project AS (INSERT INTO projects (id, name) VALUES ($1, $2) RETURNING id, name, created_at),
         proxy AS (INSERT INTO proxy_settings (project_id, enabled) SELECT id, $3 FROM project)
       SELECT * FROM project`,
      [newId('prj'), name, this.proxyByDefault],
    );
    return toProject(rows[0]!);
  }

  /** The development project `npm start` made in this database (development only), if there is one. */
  async development(): Promise<Project | undefined> {
    const { rows } = await this.db.query<ProjectRow>(
      'SELECT id, name, created_at FROM projects WHERE development',
    );
    return rows[0] ? toProject(rows[0]) : undefined;
  }

  /**
   * Makes `id` (or a new project named `name`) this database's development project, unless one
   * already is; answers the one that is. The unique index settles two processes starting at once.
   */
  async claimDevelopment(claim: { id: string } | { name: string }): Promise<Project> {
    if ('id' in claim)
      await this.db.query(
        `UPDATE projects SET development = true
         WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM projects WHERE development)`,
        [claim.id],
      );
    else
      await this.db.query(
        `WITH project AS (INSERT INTO projects (id, name, development) VALUES ($1, $2, true)
           ON CONFLICT (development) WHERE development DO NOTHING RETURNING id)
         INSERT INTO proxy_settings (project_id, enabled) SELECT id, $3 FROM project`,
        [newId('prj'), claim.name, this.proxyByDefault],
      );
    const claimed = await this.development();
    if (!claimed) throw new Error('no development project after claiming one');
    return claimed;
  }

  async get(id: string): Promise<Project | undefined> {
    const { rows } = await this.db.query<ProjectRow>(
      'SELECT id, name, created_at FROM projects WHERE id = $1',
      [id],
    );
    return rows[0] ? toProject(rows[0]) : undefined;
  }

  async list(page: Page): Promise<PageResult<Project>> {
    const cursor = decodeCursor(page.cursor);
    const { rows } = await this.db.query<ProjectRow>(
      `SELECT id, name, created_at FROM projects WHERE ($1::text IS NULL OR id < $1) ORDER BY id DESC LIMIT $2`,
      [cursor ?? null, page.limit + 1],
    );
    return toPage(rows, page.limit, toProject);
  }
}
