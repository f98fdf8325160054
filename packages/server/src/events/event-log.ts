import type { AccountStatus, ConnectedAccount } from '../accounts/store.js';
import type { DecidedBy } from '../approvals/approval-store.js';
import { newId } from '../shared/ids.js';
import type { Db, Queryable } from '../store/db.js';
import { decodeCursor, type PageResult, toPage } from '../store/pagination.js';

export const EVENT_TYPES = [
  'connection.active',
  'connection.refreshed',
  'connection.expired',
  'connection.revoked',
  'connection.deleted',
  'approval.requested',
  'approval.decided',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];
export type ConnectionEventType = Extract<EventType, `connection.${string}`>;
export type ApprovalEventType = Extract<EventType, `approval.${string}`>;

/** What the developer's app receives (webhook body) and lists (`GET /v1/events`). Never a token. */
export interface ConnectionEvent {
  id: string;
  type: EventType;
  createdAt: string;
  data: { connectedAccount: EventAccount } | { approval: EventApproval };
}

/**
 * An approval as events show it: who, which tool and account, the decision — not the arguments
 * (kept encrypted) and not the approval link (a bearer capability for the end user alone).
 */
export interface EventApproval {
  id: string;
  status: 'pending' | 'approved' | 'denied';
  userId: string;
  agentId: string | null;
  tool: string;
  connectedAccountId: string;
  policies: string[];
  decidedBy: DecidedBy | null;
  decidedAt: string | null;
  expiresAt: string;
  createdAt: string;
}

export interface EventAccount {
  id: string;
  userId: string;
  authConfigId: string;
  providerId: string;
  label: string | null;
  /** The account's status; `DELETED` (events only) once `connection.deleted` removed it. */
  status: AccountStatus | 'DELETED';
  statusReason: string | null;
  accessTokenExpiresAt: string | null;
}

interface EventRow extends Record<string, unknown> {
  id: string;
  type: EventType;
  data: ConnectionEvent['data'];
  created_at: Date;
}

const toEvent = (r: EventRow): ConnectionEvent => ({
  id: r.id,
  type: r.type,
  createdAt: r.created_at.toISOString(),
  data: r.data,
});

const describeAccount = (a: ConnectedAccount): EventAccount => ({
  id: a.id,
  userId: a.userId,
  authConfigId: a.authConfigId,
  providerId: a.providerId,
  label: a.label,
  status: a.status,
  statusReason: a.statusReason,
  accessTokenExpiresAt: a.accessTokenExpiresAt?.toISOString() ?? null,
});

export interface EventFilter {
  type?: EventType | undefined;
  since?: Date | undefined;
  cursor?: string | undefined;
  limit: number;
}

/**
 * The transactional outbox of connection and approval events: `emit` runs inside the caller's transaction, so an
 * event exists exactly when the state change it reports was committed, and queues one delivery per
 * webhook endpoint subscribed to its type.
 */
export class EventLog {
  #onEmit: (() => void) | undefined;

  constructor(private readonly db: Db) {}

  /** Called when an emit queued deliveries (the local dispatcher wakes up instead of waiting for its tick). */
  onEmit(listener: () => void): void {
    this.#onEmit = listener;
  }

  /** A connection's state changed (`connection.*`), inside the transaction that changed it. */
  emit(
    q: Queryable,
    type: ConnectionEventType,
    a: ConnectedAccount,
    state?: Pick<EventAccount, 'status' | 'statusReason'>,
  ): Promise<string> {
    const data = { connectedAccount: { ...describeAccount(a), ...state } };
    return this.insert(q, a.projectId, type, data, { connectedAccountId: a.id, userId: a.userId });
  }

  /** An approval was requested or decided (`approval.*`), inside the transaction that wrote it. */
  emitApproval(
    q: Queryable,
    projectId: string,
    type: ApprovalEventType,
    approval: EventApproval,
  ): Promise<string> {
    return this.insert(
      q,
      projectId,
      type,
      { approval },
      { connectedAccountId: approval.connectedAccountId, userId: approval.userId },
    );
  }

  private async insert(
    q: Queryable,
    projectId: string,
    type: EventType,
    data: ConnectionEvent['data'],
    subject: { connectedAccountId: string; userId: string },
  ): Promise<string> {
    const id = newId('evt');
    await q.query(
      `INSERT INTO events (id, project_id, type, connected_account_id, user_id, data) VALUES ($1, $2, $3, $4, $5, $6)`,
      [id, projectId, type, subject.connectedAccountId, subject.userId, JSON.stringify(data)],
    );
    const { rows: endpoints } = await q.query<{ id: string }>(
      `SELECT id FROM webhook_endpoints
       WHERE project_id = $1 AND (events IS NULL OR events @> jsonb_build_array($2::text))`,
      [projectId, type],
    );
    if (endpoints.length > 0) {
      await q.query(
        `INSERT INTO webhook_deliveries (id, project_id, endpoint_id, event_id, event_type, status)
         SELECT d.id, $1, d.endpoint_id, $2, $3, 'pending' FROM unnest($4::text[], $5::text[]) AS d(id, endpoint_id)`,
        [projectId, id, type, endpoints.map(() => newId('whd')), endpoints.map((e) => e.id)],
      );
      this.#onEmit?.();
    }
    return id;
  }

  async list(projectId: string, f: EventFilter): Promise<PageResult<ConnectionEvent>> {
    const { rows } = await this.db.query<EventRow>(
      `SELECT id, type, data, created_at FROM events
       WHERE project_id = $1 AND ($2::text IS NULL OR type = $2) AND ($3::timestamptz IS NULL OR created_at >= $3)
         AND ($4::text IS NULL OR id < $4)
       ORDER BY id DESC LIMIT $5`,
      [projectId, f.type ?? null, f.since ?? null, decodeCursor(f.cursor) ?? null, f.limit + 1],
    );
    return toPage(rows, f.limit, toEvent);
  }

  async get(projectId: string, id: string): Promise<ConnectionEvent | undefined> {
    const { rows } = await this.db.query<EventRow>(
      'SELECT id, type, data, created_at FROM events WHERE project_id = $1 AND id = $2',
      [projectId, id],
    );
    return rows[0] ? toEvent(rows[0]) : undefined;
  }
}
