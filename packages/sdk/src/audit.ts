import type { HttpClient } from './http.js';
import { paginate } from './pagination.js';
import type { AuditEvent, AuditFilter, AuditQuery, AuditVerification } from './tool-types.js';
import type { Page } from './types.js';

const iso = (d: Date | string | undefined) => (d instanceof Date ? d.toISOString() : d);
const query = (q: AuditQuery) => ({ ...q, since: iso(q.since), until: iso(q.until) });

/** The audit log: `gatehouse.audit`. Every tool call, proxied request, approval and admin change. */
export function auditApi(http: HttpClient) {
  const list = (q: AuditQuery = {}) =>
    http.request<Page<AuditEvent>>('GET', '/v1/audit', { query: query(q) });
  return {
    /** Newest first; pass `nextCursor` back as `cursor` for the next page. */
    list,
    /** Every matching event, newest first, page by page as you consume them. */
    iterate: (q: AuditFilter & { limit?: number } = {}) => paginate(list, q),
    /**
     * The whole matching trail as the server streams it (NDJSON), newest first, one event at a time:
     * for archiving to your own storage without holding it in memory.
     */
    export: async function* (q: AuditFilter = {}): AsyncGenerator<AuditEvent> {
      for await (const line of http.lines('/v1/audit/export', { query: { ...query(q), format: 'ndjson' } }))
        yield JSON.parse(line) as AuditEvent;
    },
    /** The matching trail as CSV text (header row first). */
    exportCsv: (q: AuditFilter = {}) =>
      http.text('GET', '/v1/audit/export', { query: { ...query(q), format: 'csv' } }),
    /** Recomputes the project's hash chain (admin key): `ok` unless a row was altered or removed. */
    verify: () => http.request<AuditVerification>('GET', '/v1/audit/verify'),
  };
}
