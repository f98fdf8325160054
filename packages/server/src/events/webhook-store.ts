import type { Db, Queryable } from '../store/db.js';
import { decodeCursor, type Page, type PageResult, toPage } from '../store/pagination.js';
import type { EventType } from './event-log.js';

export interface WebhookEndpoint {
  id: string;
  url: string;
  /** null: every event type */
  events: EventType[] | null;
  createdAt: Date;
}

export interface WebhookDelivery {
  id: string;
  eventId: string;
  eventType: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  lastAttemptAt: Date | null;
  deliveredAt: Date | null;
  createdAt: Date;
  /** The delivery this one repeats (an operator's redeliver); null for the event's first delivery. */
  redeliveryOf: string | null;
}

interface EndpointRow extends Record<string, unknown> {
  id: string;
  url: string;
  events: EventType[] | null;
  created_at: Date;
}

export interface DeliveryRow extends Record<string, unknown> {
  id: string;
  project_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: WebhookDelivery['status'];
  attempts: number;
  next_attempt_at: Date;
  last_status_code: number | null;
  last_error: string | null;
  last_attempt_at: Date | null;
  delivered_at: Date | null;
  created_at: Date;
  redelivery_of: string | null;
}

const toEndpoint = (r: EndpointRow): WebhookEndpoint => ({
  id: r.id,
  url: r.url,
  events: r.events,
  createdAt: r.created_at,
});

const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id,
  eventId: r.event_id,
  eventType: r.event_type,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: r.status === 'pending' ? r.next_attempt_at : null,
  lastStatusCode: r.last_status_code,
  lastError: r.last_error,
  lastAttemptAt: r.last_attempt_at,
  deliveredAt: r.delivered_at,
  createdAt: r.created_at,
  redeliveryOf: r.redelivery_of,
});

const DELIVERY_COLUMNS = `id, project_id, endpoint_id, event_id, event_type, status, attempts, next_attempt_at,
  last_status_code, last_error, last_attempt_at, delivered_at, created_at, redelivery_of`;

export class WebhookStore {
  constructor(private readonly db: Db) {}

  async insert(
    projectId: string,
    e: { id: string; url: string; events: EventType[] | null; secretCt: string },
  ): Promise<WebhookEndpoint> {
    const { rows } = await this.db.query<EndpointRow>(
      `INSERT INTO webhook_endpoints (id, project_id, url, events, secret_ct) VALUES ($1, $2, $3, $4, $5)
       RETURNING id, url, events, created_at`,
      [e.id, projectId, e.url, e.events ? JSON.stringify(e.events) : null, e.secretCt],
    );
    return toEndpoint(rows[0]!);
  }

  async get(projectId: string, id: string): Promise<WebhookEndpoint | undefined> {
    const { rows } = await this.db.query<EndpointRow>(
      'SELECT id, url, events, created_at FROM webhook_endpoints WHERE project_id = $1 AND id = $2',
      [projectId, id],
    );
    return rows[0] ? toEndpoint(rows[0]) : undefined;
  }

  async list(projectId: string, page: Page): Promise<PageResult<WebhookEndpoint>> {
    const { rows } = await this.db.query<EndpointRow>(
      `SELECT id, url, events, created_at FROM webhook_endpoints
       WHERE project_id = $1 AND ($2::text IS NULL OR id < $2) ORDER BY id DESC LIMIT $3`,
      [projectId, decodeCursor(page.cursor) ?? null, page.limit + 1],
    );
    return toPage(rows, page.limit, toEndpoint);
  }

  async delete(projectId: string, id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'DELETE FROM webhook_endpoints WHERE project_id = $1 AND id = $2',
      [projectId, id],
    );
    return rowCount > 0;
  }

  async secretOf(projectId: string, id: string): Promise<{ url: string; secretCt: string } | undefined> {
    const { rows } = await this.db.query<{ url: string; secret_ct: string }>(
      'SELECT url, secret_ct FROM webhook_endpoints WHERE project_id = $1 AND id = $2',
      [projectId, id],
    );
    return rows[0] ? { url: rows[0].url, secretCt: rows[0].secret_ct } : undefined;
  }

  async deliveries(projectId: string, endpointId: string, page: Page): Promise<PageResult<WebhookDelivery>> {
    const { rows } = await this.db.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
       WHERE project_id = $1 AND endpoint_id = $2 AND ($3::text IS NULL OR id < $3) ORDER BY id DESC LIMIT $4`,
      [projectId, endpointId, decodeCursor(page.cursor) ?? null, page.limit + 1],
    );
    return toPage(rows, page.limit, toDelivery);
  }

  async delivery(projectId: string, endpointId: string, id: string): Promise<WebhookDelivery | undefined> {
    const { rows } = await this.db.query<DeliveryRow>(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE project_id = $1 AND endpoint_id = $2 AND id = $3`,
      [projectId, endpointId, id],
    );
    return rows[0] ? toDelivery(rows[0]) : undefined;
  }

  /**
   * Queues the event of delivery `of` again to its endpoint, as a new pending row due now (its own
   * attempts and outcome; the dispatcher signs it at send time like any delivery). Nothing is queued
   * while `of` or an earlier redelivery of it is still pending: a double click sends once.
   */
  async insertRedelivery(
    projectId: string,
    endpointId: string,
    of: WebhookDelivery,
    id: string,
  ): Promise<WebhookDelivery | undefined> {
    const { rows } = await this.db.query<DeliveryRow>(
      `INSERT INTO webhook_deliveries (id, project_id, endpoint_id, event_id, event_type, status, redelivery_of)
       SELECT $1, $2, $3, $4, $5, 'pending', $6
       WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries WHERE project_id = $2 AND endpoint_id = $3
         AND (id = $6 OR redelivery_of = $6) AND status = 'pending')
       RETURNING ${DELIVERY_COLUMNS}`,
      [id, projectId, endpointId, of.eventId, of.eventType, of.id],
    );
    return rows[0] ? toDelivery(rows[0]) : undefined;
  }

  /**
   * Leases due deliveries of every project (the dispatcher is an instance-wide worker); rows another
   * replica is leasing are skipped. The attempt is counted now, so a crash mid-delivery still counts.
   */
  async claimDue(limit: number, leaseMs: number): Promise<DeliveryRow[]> {
    const { rows } = await this.db.query<DeliveryRow>(
      `UPDATE webhook_deliveries SET lease_until = now() + make_interval(secs => ${Math.ceil(leaseMs / 1000)}),
         attempts = attempts + 1, last_attempt_at = now()
       WHERE (project_id, id) IN (
         SELECT project_id, id FROM webhook_deliveries
         WHERE status = 'pending' AND next_attempt_at <= now() AND (lease_until IS NULL OR lease_until <= now())
         ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
       RETURNING ${DELIVERY_COLUMNS}`,
      [limit],
    );
    return rows;
  }

  async record(
    q: Queryable,
    d: DeliveryRow,
    r: {
      status: WebhookDelivery['status'];
      statusCode: number | null;
      error: string | null;
      nextAttemptAt: Date;
    },
  ): Promise<void> {
    await q.query(
      `UPDATE webhook_deliveries SET status = $3, last_status_code = $4, last_error = $5, next_attempt_at = $6,
         lease_until = NULL, delivered_at = CASE WHEN $3 = 'succeeded' THEN now() ELSE NULL END
       WHERE project_id = $1 AND id = $2`,
      [d.project_id, d.id, r.status, r.statusCode, r.error, r.nextAttemptAt],
    );
  }
}
