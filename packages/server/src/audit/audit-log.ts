import type { Act } from '../delegation/chain.js';
import type { ProjectPrincipal } from '../projects/api-keys.js';
import { idFloor, newId } from '../shared/ids.js';
import type { Db, Queryable } from '../store/db.js';
import { decodeCursor, type Page, type PageResult, toPage } from '../store/pagination.js';
import { canonicalRow } from './chain.js';
import { type AppendRow, appendRows, GroupCommit } from './group-commit.js';
import { AuditJournal } from './journal.js';
import { JournalShipper } from './journal-shipper.js';
import { type AuditRow, fieldsOfRow, ROW_COLUMNS } from './row.js';
import { type ChainVerdict, verifyChain } from './verify.js';

/** What a project admin changed; the row's detail names the acting key (`apiKeyId`). */
export type AdminAuditKind =
  | 'admin.policies.updated'
  | 'admin.api_key.created'
  | 'admin.api_key.revoked'
  | 'admin.auth_config.created'
  | 'admin.auth_config.updated'
  | 'admin.auth_config.deleted'
  | 'admin.webhook.created'
  | 'admin.webhook.deleted'
  | 'admin.webhook.redelivered'
  | 'admin.toolkit.updated'
  | 'admin.toolkit.deleted'
  | 'admin.toolkit.pinned'
  | 'admin.toolkit.unpinned'
  | 'admin.limits.updated'
  | 'admin.proxy_settings.updated'
  | 'admin.connect_settings.updated'
  | 'admin.agent.registered'
  | 'admin.agent.deleted'
  | 'admin.agent_key.created'
  | 'admin.agent_key.revoked'
  | 'admin.agent_public_key.registered'
  | 'admin.agent_public_key.revoked'
  | 'admin.delegation_settings.updated'
  | 'admin.delegation_key.rotated'
  | 'admin.connected_account.created'
  | 'admin.connected_account.deleted'
  | 'admin.mcp_client.revoked'
  | 'admin.mcp_consent.revoked';

export type AuditKind = 'tool.execute' | 'proxy.request' | 'approval.decided' | AdminAuditKind;

/** What happened, from the broker's point of view. Never holds a token or a sensitive argument. */
export interface AuditEntry {
  projectId: string;
  kind: AuditKind;
  executionId: string;
  userId: string | null;
  agentId: string | null;
  toolSlug: string | null;
  providerId: string | null;
  connectedAccountId: string | null;
  outcome: string;
  errorCode: string | null;
  upstreamStatus: number | null;
  latencyMs: number;
  attempts: number;
  traceId: string | null;
  detail: Record<string, unknown>;
  /** The verified delegation chain of a call made with an exchanged token (its `act` claim). */
  delegation?: Act | null | undefined;
}

export interface AuditEvent extends Omit<AuditEntry, 'projectId' | 'delegation'> {
  delegation: Act | null;
  id: string;
  occurredAt: Date;
  /** The row's place in its project's hash chain; null for rows written before the chain existed. */
  seq: number | null;
  /** Hex SHA-256 of the row and its predecessor (chain.ts); null outside the chain. */
  hash: string | null;
}

const toEvent = (r: AuditRow): AuditEvent => {
  const { projectId: _, ...fields } = fieldsOfRow(r);
  return {
    ...fields,
    kind: r.kind as AuditKind,
    detail: r.detail as Record<string, unknown>,
    delegation: r.delegation as Act | null,
    seq: r.seq === null ? null : Number(r.seq),
    hash: r.hash,
  };
};

export interface AuditFilter {
  userId?: string | undefined;
  agentId?: string | undefined;
  tool?: string | undefined;
  executionId?: string | undefined;
  outcome?: string | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
}

// A row's id and occurred_at are minted together by the writing replica, microseconds apart; rows
// written before migration 0012 took occurred_at from the database clock. This slack covers both when
// a time range becomes id bounds (`list`), and occurred_at itself keeps the answer exact.
const ID_BOUND_SLACK_MS = 60_000;

export interface AuditLogOptions {
  /** Wait for the WAL flush on every audit row (slower; see Db.relaxed). */
  syncCommit?: boolean | undefined;
  /** Told when journaled rows could not be committed yet (they are retried, and kept in the journal). */
  onShipError?: ((err: unknown, waiting: number) => void) | undefined;
}

/** The append-only, hash-chained audit trail (the table refuses updates and deletes; README.md). */
export class AuditLog {
  /** Hot-path rows: relaxed commit unless `syncCommit` (see Db.relaxed). */
  readonly #calls: GroupCommit;
  /** With a journal, a call's row is answered from the journal and committed behind (journal.ts). */
  #journaled: JournalShipper | undefined;

  constructor(
    private readonly db: Db,
    private readonly options: AuditLogOptions = {},
  ) {
    this.#calls = new GroupCommit(options.syncCommit ? db : db.relaxed());
  }

  /** Rows and statements written so far by group commit (tests, benchmarks). */
  get commitStats() {
    return { calls: { ...this.#calls.stats } };
  }

  /**
   * Journals call rows in `dir` from now on, after committing what a previous process left there
   * (before any new call is answered, so the chain keeps the order the calls were answered in).
   */
  async useJournal(dir: string): Promise<{ journaled: number; torn: number }> {
    const { journal, leftover, torn } = AuditJournal.open(dir, await databaseIdentity(this.db));
    try {
      await Promise.all(leftover.map((row) => this.#calls.append(row)));
    } catch (err) {
      journal.close();
      throw err;
    }
    journal.shipped();
    this.#journaled = new JournalShipper(journal, this.#calls, this.options.onShipError);
    return { journaled: leftover.length, torn };
  }

  /**
   * Records a call. With a journal the row is durable against a crash of this process when this
   * returns, and committed behind the answer; without one, this resolves once it is committed.
   * Concurrent rows share one statement either way (group-commit.ts).
   */
  async record(e: AuditEntry): Promise<string> {
    const id = newId('aud');
    const row = appendRow(e, id);
    const journaled = this.#journaled;
    if (!journaled || !(await journaled.take(row))) await this.#calls.append(row);
    return id;
  }

  /** Resolves once every row recorded before the call is committed (or has failed to, for now). */
  async settled(): Promise<void> {
    await this.#journaled?.settled();
  }

  /** Commits what is waiting, retries once what failed, and closes the journal. */
  async close(): Promise<void> {
    const journaled = this.#journaled;
    this.#journaled = undefined;
    await journaled?.close();
  }

  /**
   * Records a project admin's change (policies, keys, auth configs…), naming the acting key, inside the
   * change's own transaction (`db.atomically`, or `tx`): the change and its row commit together or not at all,
   * so no change stands unaudited after a crash (README.md, crash windows). Called elsewhere it throws.
   * The project's head stays locked until that commit; admin changes are rare. The main pool waits for
   * the WAL flush: these are the rows an investigation needs most.
   */
  async admin(
    principal: ProjectPrincipal,
    kind: AdminAuditKind,
    detail: Record<string, unknown>,
    /** The change's transaction, where it is not the current `db.atomically` one. */
    tx?: Queryable,
  ): Promise<string> {
    const id = newId('aud');
    const entry: AuditEntry = {
      projectId: principal.projectId,
      kind,
      executionId: id,
      userId: null,
      agentId: null,
      toolSlug: null,
      providerId: null,
      connectedAccountId: null,
      outcome: 'success',
      errorCode: null,
      upstreamStatus: null,
      latencyMs: 0,
      attempts: 0,
      traceId: null,
      detail: { ...detail, apiKeyId: principal.apiKeyId },
    };
    const q = tx ?? (this.db.inChange ? this.db : undefined);
    if (!q)
      throw new Error(`${kind}: an admin audit row is written in its change's transaction (db.atomically)`);
    await appendRows(q, [appendRow(entry, id)]);
    return id;
  }

  /**
   * One page, newest first. Only the filters given become SQL conditions, so every plan (custom or
   * generic) can walk the index of the filter (migration 0019) newest first and stop after one page;
   * a time range becomes id bounds on (project_id, id).
   */
  async list(projectId: string, f: AuditFilter, page: Page): Promise<PageResult<AuditEvent>> {
    await this.settled(); // this replica's journaled rows are readable once answered
    const params: unknown[] = [projectId];
    const where = ['project_id = $1'];
    const add = (condition: (p: string) => string, value: unknown) => {
      params.push(value);
      where.push(condition(`$${params.length}`));
    };
    if (f.userId !== undefined) add((p) => `user_id = ${p}`, f.userId);
    if (f.agentId !== undefined) add((p) => `agent_id = ${p}`, f.agentId);
    if (f.tool !== undefined) add((p) => `tool_slug = ${p}`, f.tool);
    if (f.executionId !== undefined) add((p) => `execution_id = ${p}`, f.executionId);
    if (f.outcome !== undefined) add((p) => `outcome = ${p}`, f.outcome);
    if (f.since !== undefined) {
      add((p) => `occurred_at >= ${p}`, f.since);
      add((p) => `id >= ${p}`, idFloor('aud', new Date(f.since.getTime() - ID_BOUND_SLACK_MS)));
    }
    if (f.until !== undefined) {
      add((p) => `occurred_at < ${p}`, f.until);
      add((p) => `id < ${p}`, idFloor('aud', new Date(f.until.getTime() + ID_BOUND_SLACK_MS)));
    }
    const cursor = decodeCursor(page.cursor);
    if (cursor !== undefined) add((p) => `id < ${p}`, cursor);
    params.push(page.limit + 1);
    const { rows } = await this.db.query<AuditRow>(
      `SELECT ${ROW_COLUMNS} FROM audit_events WHERE ${where.join(' AND ')}
       ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return toPage(rows, page.limit, toEvent);
  }

  /** Every row matching `f`, newest first, read a page at a time (for exports: never all in memory). */
  async *each(projectId: string, f: AuditFilter, pageSize = 500): AsyncGenerator<AuditEvent> {
    let cursor: string | undefined;
    do {
      const page = await this.list(projectId, f, { limit: pageSize, cursor });
      yield* page.items;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /** Recomputes the project's hash chain (verify.ts). */
  async verify(projectId: string): Promise<ChainVerdict> {
    await this.settled();
    return verifyChain(this.db, projectId);
  }
}

/** This database's id (migration 0029), minted on first use. */
async function databaseIdentity(db: Db): Promise<string> {
  await db.query('INSERT INTO database_identity (id) VALUES ($1) ON CONFLICT (singleton) DO NOTHING', [
    newId('db'),
  ]);
  const { rows } = await db.query<{ id: string }>('SELECT id FROM database_identity');
  return rows[0]!.id;
}

// Arguments larger than this are recorded as a size only: audit rows stay small and bounded.
const MAX_DETAIL_BYTES = 8_192;

/**
 * The row as it will be stored, with its canonical text. The hash covers the row as it reads back:
 * jsonb's value of `detail`, time in milliseconds (chain.ts); the database chains it (migration 0020).
 */
function appendRow(e: AuditEntry, id: string): AppendRow {
  let detail = JSON.stringify(e.detail);
  if (detail.length > MAX_DETAIL_BYTES) detail = JSON.stringify({ truncated: true, bytes: detail.length });
  const parsed: unknown = JSON.parse(detail);
  const occurredAt = new Date();
  return {
    id,
    project_id: e.projectId,
    kind: e.kind,
    execution_id: e.executionId,
    user_id: e.userId,
    agent_id: e.agentId,
    tool_slug: e.toolSlug,
    provider_id: e.providerId,
    connected_account_id: e.connectedAccountId,
    outcome: e.outcome,
    error_code: e.errorCode,
    upstream_status: e.upstreamStatus,
    latency_ms: e.latencyMs,
    attempts: e.attempts,
    trace_id: e.traceId,
    detail: parsed,
    occurred_at: occurredAt.toISOString(),
    delegation: e.delegation ?? null,
    canonical: canonicalRow(
      Object.assign({}, e, { id, occurredAt, detail: parsed, delegation: e.delegation ?? null }),
    ),
  };
}
