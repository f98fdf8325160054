import { Readable } from 'node:stream';
import { z } from 'zod';
import type { AuditEvent, AuditFilter } from '../../audit/audit-log.js';
import { CSV_COLUMNS, csvLine } from '../../audit/export.js';
import type { Runtime } from '../../runtime.js';
import { pageQuerySchema } from '../../store/pagination.js';
import { jsonObject, named, page, text, timestamp } from '../responses.js';
import { defineRoute, json } from '../route.js';

// Every outcome the broker, approvals and admin changes record (broker/runner.ts, approvals/).
const AUDIT_OUTCOMES = [
  'success',
  'idempotent_replay',
  'rejected',
  'error',
  'authorization_required',
  'policy_denied',
  'approval_required',
  'rate_limited',
  'budget_exceeded',
  'approved',
  'denied',
] as const;

const auditEventSchema = named(
  'AuditEvent',
  z.strictObject({
    id: z.string(),
    occurredAt: timestamp,
    kind: z.string().meta({ examples: ['tool.execute', 'proxy.request', 'admin.api_key.created'] }),
    executionId: z.string(),
    userId: z.string().nullable(),
    agentId: z.string().nullable(),
    tool: z.string().nullable(),
    provider: z.string().nullable(),
    connectedAccountId: z.string().nullable(),
    outcome: z.enum(AUDIT_OUTCOMES),
    errorCode: z.string().nullable(),
    upstreamStatus: z.number().int().nullable(),
    latencyMs: z.number(),
    attempts: z.number().int(),
    traceId: z.string().nullable(),
    detail: jsonObject,
    delegation: jsonObject
      .nullable()
      .meta({ description: 'The RFC 8693 `act` chain of a call made with an exchanged token' }),
    seq: z.number().int().nullable(),
    hash: z.string().nullable(),
  }),
  'One audited action. Never holds a token or a sensitive argument.',
);

const chainVerdictSchema = named(
  'AuditChainVerdict',
  z.strictObject({
    ok: z.boolean(),
    rows: z.number().int(),
    unchained: z.number().int(),
    head: z.strictObject({ seq: z.number().int(), hash: z.string() }).nullable(),
    firstBroken: z
      .strictObject({ id: z.string().nullable(), seq: z.number().int(), reason: z.string() })
      .optional(),
  }),
);

const present = (e: AuditEvent) => ({
  id: e.id,
  occurredAt: e.occurredAt,
  kind: e.kind,
  executionId: e.executionId,
  userId: e.userId,
  agentId: e.agentId,
  tool: e.toolSlug,
  provider: e.providerId,
  connectedAccountId: e.connectedAccountId,
  outcome: e.outcome,
  errorCode: e.errorCode,
  upstreamStatus: e.upstreamStatus,
  latencyMs: Math.round(e.latencyMs * 1000) / 1000,
  attempts: e.attempts,
  traceId: e.traceId,
  delegation: e.delegation,
  detail: e.detail,
  seq: e.seq,
  hash: e.hash,
});

const filterSchema = {
  userId: z.string().max(256).optional(),
  agentId: z.string().max(128).optional(),
  tool: z.string().max(200).optional(),
  executionId: z.string().max(64).optional(),
  outcome: z.string().max(64).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
};

const toFilter = (q: { [K in keyof typeof filterSchema]?: string | undefined }): AuditFilter => ({
  userId: q.userId,
  agentId: q.agentId,
  tool: q.tool,
  executionId: q.executionId,
  outcome: q.outcome,
  since: q.since ? new Date(q.since) : undefined,
  until: q.until ? new Date(q.until) : undefined,
});

export async function* exportLines(
  events: AsyncIterable<AuditEvent>,
  format: 'ndjson' | 'csv',
): AsyncGenerator<string> {
  if (format === 'csv') yield csvLine(CSV_COLUMNS);
  for await (const e of events) {
    const row = present(e);
    yield format === 'ndjson'
      ? `${JSON.stringify(row)}\n`
      : csvLine(
          CSV_COLUMNS.map((c) =>
            c === 'detail' || c === 'delegation' ? (row[c] === null ? null : JSON.stringify(row[c])) : row[c],
          ),
        );
  }
}

export const auditRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/v1/audit',
    auth: 'project:runtime',
    operationId: 'listAuditEvents',
    query: z.strictObject({ ...pageQuerySchema, ...filterSchema }),
    responses: { 200: page(auditEventSchema) },
    handler: async ({ principal, query }) => {
      const page = await rt.audit.list(principal.projectId, toFilter(query), query);
      return json({ items: page.items.map(present), nextCursor: page.nextCursor });
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/audit/export',
    auth: 'project:runtime',
    operationId: 'exportAuditEvents',
    query: z.strictObject({ format: z.enum(['ndjson', 'csv']).default('ndjson'), ...filterSchema }),
    responses: {
      200: text(
        'application/x-ndjson',
        'The matching events, newest first: NDJSON (one event a line) or CSV (format=csv)',
      ),
    },
    handler: async ({ principal, query }) => ({
      status: 200,
      // Streamed a page at a time, newest first: an export never holds the trail in memory.
      body: Readable.from(exportLines(rt.audit.each(principal.projectId, toFilter(query)), query.format)),
      headers: {
        'content-type': query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
        'content-disposition': `attachment; filename="audit-${principal.projectId}.${query.format}"`,
      },
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/v1/audit/verify',
    auth: 'project:admin',
    operationId: 'verifyAuditChain',
    responses: { 200: chainVerdictSchema },
    handler: async ({ principal }) => json(await rt.audit.verify(principal.projectId)),
  }),
];
