import type { ToolCatalog } from '../catalog/tool-catalog.js';
import { newId } from '../shared/ids.js';
import { fail, ok, type Result } from '../shared/result.js';
import { CommittedCache } from '../store/committed-cache.js';
import type { Db } from '../store/db.js';
import type { GovernanceFeed } from '../store/governance-feed.js';
import { decodeCursor, type Page, type PageResult, toPage } from '../store/pagination.js';
import type { Vault } from '../vault/vault.js';
import {
  type CheckOptions,
  checkLogin,
  checkOrigins,
  checkToolkits,
  type LoginConfig,
  type LoginInput,
} from './login-config.js';
import type { ToolMode } from './meta-tools.js';

/** A named MCP endpoint of a project: `/mcp/{id}` exposes these toolkits to users signed in this way. */
export interface McpServerProfile {
  id: string;
  projectId: string;
  name: string;
  toolkits: string[];
  /** 'all': every tool is listed; 'search': only search_tools and execute_tool (meta-tools.ts). */
  toolMode: ToolMode;
  login: LoginConfig;
  allowedOrigins: string[];
  createdAt: Date;
  updatedAt: Date;
}

export interface ProfileInput {
  name: string;
  toolkits: string[];
  toolMode?: ToolMode | undefined;
  login: LoginInput;
  allowedOrigins?: string[] | undefined;
}

export type ProfilePatch = { [K in keyof ProfileInput]?: ProfileInput[K] | undefined };

interface Row extends Record<string, unknown> {
  id: string;
  project_id: string;
  name: string;
  toolkits: string[];
  tool_mode: ToolMode;
  login: LoginConfig;
  login_secret_ct: string | null;
  allowed_origins: string[];
  created_at: Date;
  updated_at: Date;
}

const COLUMNS =
  'id, project_id, name, toolkits, tool_mode, login, login_secret_ct, allowed_origins, created_at, updated_at';

const toProfile = (r: Row): McpServerProfile => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  toolkits: r.toolkits,
  toolMode: r.tool_mode,
  login: r.login,
  allowedOrigins: r.allowed_origins,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const secretBinding = (id: string) => ({ table: 'mcp_servers', rowId: id, purpose: 'login_secret' });

/** MCP server profiles. The login secret (OIDC client secret, hand-off HMAC key) lives only in the vault. */
export class McpServerProfiles {
  /**
   * Profiles by endpoint id, for the MCP endpoint's every request; dropped here on update and delete
   * once committed, and on every replica when migration 0031's notification arrives.
   */
  readonly #byEndpoint: CommittedCache<McpServerProfile>;

  constructor(
    private readonly db: Db,
    private readonly vault: Vault,
    private readonly checks: CheckOptions,
    private readonly catalog: ToolCatalog,
    /** Backstop lifetime of a cached profile (GATEHOUSE_GOVERNANCE_CACHE_MS). */
    cacheMs = 0,
    feed?: GovernanceFeed,
  ) {
    this.#byEndpoint = new CommittedCache(
      db,
      cacheMs,
      feed && { feed, kinds: ['mcp_server'], drops: (c) => (key) => key === c.id },
    );
  }

  async create(projectId: string, input: ProfileInput): Promise<Result<McpServerProfile>> {
    const toolkits = checkToolkits(input.toolkits, await this.catalog.forProject(projectId));
    if (!toolkits.ok) return toolkits;
    const origins = checkOrigins(input.allowedOrigins ?? []);
    if (!origins.ok) return origins;
    const login = await checkLogin(input.login, this.checks);
    if (!login.ok) return login;
    const id = newId('mcs');
    const secretCt = login.value.secret
      ? await this.vault.encrypt(projectId, secretBinding(id), login.value.secret)
      : null;
    const { rows } = await this.db.query<Row>(
      `INSERT INTO mcp_servers (id, project_id, name, toolkits, login, login_secret_ct, allowed_origins, tool_mode)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [
        id,
        projectId,
        input.name,
        JSON.stringify(toolkits.value),
        JSON.stringify(login.value.config),
        secretCt,
        JSON.stringify(origins.value),
        input.toolMode ?? 'all',
      ],
    );
    return ok(toProfile(rows[0]!));
  }

  async get(projectId: string, id: string): Promise<Result<McpServerProfile>> {
    const row = await this.row(projectId, id);
    return row ? ok(toProfile(row)) : fail('not_found', `MCP server ${id} not found`);
  }

  async list(projectId: string, page: Page): Promise<PageResult<McpServerProfile>> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM mcp_servers WHERE project_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [projectId, decodeCursor(page.cursor) ?? null, page.limit + 1],
    );
    return toPage(rows, page.limit, toProfile);
  }

  /** Replaces the fields given. A new `login` replaces the old one whole, secret included. */
  async update(projectId: string, id: string, patch: ProfilePatch): Promise<Result<McpServerProfile>> {
    const current = await this.row(projectId, id);
    if (!current) return fail('not_found', `MCP server ${id} not found`);
    const toolkits = checkToolkits(
      patch.toolkits ?? current.toolkits,
      await this.catalog.forProject(projectId),
    );
    if (!toolkits.ok) return toolkits;
    const origins = checkOrigins(patch.allowedOrigins ?? current.allowed_origins);
    if (!origins.ok) return origins;
    let login = current.login;
    let secretCt = current.login_secret_ct;
    if (patch.login) {
      const checked = await checkLogin(patch.login, this.checks);
      if (!checked.ok) return checked;
      login = checked.value.config;
      secretCt = checked.value.secret
        ? await this.vault.encrypt(projectId, secretBinding(id), checked.value.secret)
        : null;
    }
    const { rows } = await this.db.query<Row>(
      `UPDATE mcp_servers SET name = $3, toolkits = $4, login = $5, login_secret_ct = $6, allowed_origins = $7,
         tool_mode = $8, updated_at = now()
       WHERE project_id = $1 AND id = $2 RETURNING ${COLUMNS}`,
      [
        projectId,
        id,
        patch.name ?? current.name,
        JSON.stringify(toolkits.value),
        JSON.stringify(login),
        secretCt,
        JSON.stringify(origins.value),
        patch.toolMode ?? current.tool_mode,
      ],
    );
    this.#byEndpoint.drop(id);
    return rows[0] ? ok(toProfile(rows[0])) : fail('not_found', `MCP server ${id} not found`);
  }

  /** Deleting a profile ends everything issued under it: clients, consents, tokens, sessions. */
  async delete(projectId: string, id: string): Promise<Result<true>> {
    const { rowCount } = await this.db.query('DELETE FROM mcp_servers WHERE project_id = $1 AND id = $2', [
      projectId,
      id,
    ]);
    this.#byEndpoint.drop(id);
    return rowCount === 1 ? ok(true) : fail('not_found', `MCP server ${id} not found`);
  }

  /**
   * The MCP endpoint and the authorization server's pages know a profile only by the id in their
   * URL; they learn the project here and scope every later query by it.
   */
  async getForEndpoint(id: string): Promise<McpServerProfile | undefined> {
    return this.#byEndpoint.read(id, async () => {
      const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM mcp_servers WHERE id = $1`, [id]);
      return rows[0] ? toProfile(rows[0]) : undefined;
    });
  }

  async loginSecret(profile: McpServerProfile): Promise<Result<string | undefined>> {
    const row = await this.row(profile.projectId, profile.id);
    if (!row?.login_secret_ct) return ok(undefined);
    return this.vault.decrypt(profile.projectId, secretBinding(profile.id), row.login_secret_ct);
  }

  private async row(projectId: string, id: string): Promise<Row | undefined> {
    const { rows } = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM mcp_servers WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return rows[0];
  }
}
