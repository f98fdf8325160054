import type { Db } from '../store/db.js';
import { decodeCursor, type Page, type PageResult, toPage } from '../store/pagination.js';

export interface Branding {
  displayName?: string | undefined;
  logoUrl?: string | undefined;
  accentColor?: string | undefined;
}

export interface AuthConfig {
  id: string;
  projectId: string;
  providerId: string;
  customProviderId: string | null;
  name: string;
  clientId: string;
  hasClientSecret: boolean;
  settings: Record<string, string>;
  /** null: use the provider's least-privilege defaults. */
  defaultScopes: string[] | null;
  /** The ceiling: scopes outside it can never be requested. null: no ceiling beyond the provider. */
  allowedScopes: string[] | null;
  branding: Branding;
  createdAt: Date;
  updatedAt: Date;
}

interface Row extends Record<string, unknown> {
  id: string;
  project_id: string;
  provider_id: string;
  custom_provider_id: string | null;
  name: string;
  client_id: string;
  client_secret_ct: string | null;
  settings: Record<string, string>;
  default_scopes: string[] | null;
  allowed_scopes: string[] | null;
  branding: Branding;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, project_id, provider_id, custom_provider_id, name, client_id, client_secret_ct, settings,
  default_scopes, allowed_scopes, branding, created_at, updated_at`;

const toAuthConfig = (r: Row): AuthConfig => ({
  id: r.id,
  projectId: r.project_id,
  providerId: r.provider_id,
  customProviderId: r.custom_provider_id,
  name: r.name,
  clientId: r.client_id,
  hasClientSecret: r.client_secret_ct !== null,
  settings: r.settings,
  defaultScopes: r.default_scopes,
  allowedScopes: r.allowed_scopes,
  branding: r.branding,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export interface AuthConfigFields {
  providerId: string;
  customProviderId: string | null;
  name: string;
  clientId: string;
  clientSecretCt: string | null;
  settings: Record<string, string>;
  defaultScopes: string[] | null;
  allowedScopes: string[] | null;
  branding: Branding;
}

export class AuthConfigStore {
  constructor(private readonly db: Db) {}

  async get(
    projectId: string,
    id: string,
  ): Promise<(AuthConfig & { clientSecretCt: string | null }) | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM auth_configs WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return rows[0] ? { ...toAuthConfig(rows[0]), clientSecretCt: rows[0].client_secret_ct } : undefined;
  }

  async list(
    projectId: string,
    filter: { providerId?: string | undefined },
    page: Page,
  ): Promise<PageResult<AuthConfig>> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM auth_configs WHERE project_id = $1 AND ($2::text IS NULL OR provider_id = $2)
         AND ($3::text IS NULL OR id < $3) ORDER BY id DESC LIMIT $4`,
      [projectId, filter.providerId ?? null, decodeCursor(page.cursor) ?? null, page.limit + 1],
    );
    return toPage(rows, page.limit, toAuthConfig);
  }

  async insert(projectId: string, id: string, f: AuthConfigFields): Promise<AuthConfig> {
    const { rows } = await this.db.query<Row>(
      `INSERT INTO auth_configs (id, project_id, provider_id, custom_provider_id, name, client_id, client_secret_ct,
         settings, default_scopes, allowed_scopes, branding)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
      [id, projectId, ...fieldValues(f)],
    );
    return toAuthConfig(rows[0]!);
  }

  async update(projectId: string, id: string, f: AuthConfigFields): Promise<AuthConfig | undefined> {
    const { rows } = await this.db.query<Row>(
      `UPDATE auth_configs SET provider_id = $3, custom_provider_id = $4, name = $5, client_id = $6, client_secret_ct = $7,
         settings = $8, default_scopes = $9, allowed_scopes = $10, branding = $11, updated_at = now()
       WHERE project_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [projectId, id, ...fieldValues(f)],
    );
    return rows[0] ? toAuthConfig(rows[0]) : undefined;
  }

  async delete(projectId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.db.query('DELETE FROM auth_configs WHERE project_id = $1 AND id = $2', [
      projectId,
      id,
    ]);
    return rowCount > 0;
  }

  async countByCustomProvider(projectId: string, customProviderId: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM auth_configs WHERE project_id = $1 AND custom_provider_id = $2',
      [projectId, customProviderId],
    );
    return rows[0]?.n ?? 0;
  }
}

const json = (v: unknown) => (v === null ? null : JSON.stringify(v));

function fieldValues(f: AuthConfigFields): unknown[] {
  return [
    f.providerId,
    f.customProviderId,
    f.name,
    f.clientId,
    f.clientSecretCt,
    JSON.stringify(f.settings),
    json(f.defaultScopes),
    json(f.allowedScopes),
    JSON.stringify(f.branding),
  ];
}
