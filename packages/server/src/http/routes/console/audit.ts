import { Readable } from 'node:stream';
import { z } from 'zod';
import type { AuditEvent, AuditFilter } from '../../../audit/audit-log.js';
import { consolePage, escapeHtml, statusBadge, table, when } from '../../../console/layout.js';
import { hasProject } from '../../../console/sessions.js';
import type { Runtime } from '../../../runtime.js';
import { cursorSchema } from '../../../store/pagination.js';
import { text } from '../../responses.js';
import { defineRoute } from '../../route.js';
import { exportLines } from '../audit.js';
import { consoleHtml, consolePageRoute, seeOther, sessionCookieName } from './guard.js';

const FILTERS = ['executionId', 'userId', 'agentId', 'tool', 'outcome'] as const;
const filterSchema = {
  executionId: z.string().max(64).optional(),
  userId: z.string().max(256).optional(),
  agentId: z.string().max(128).optional(),
  tool: z.string().max(200).optional(),
  outcome: z.string().max(64).optional(),
};
type Filters = { [K in (typeof FILTERS)[number]]?: string | undefined };

const toFilter = (q: Filters): AuditFilter => {
  const f: AuditFilter = {};
  for (const k of FILTERS) if (q[k]) f[k] = q[k];
  return f;
};

const queryString = (q: Filters, extra: Record<string, string> = {}) => {
  const p = new URLSearchParams();
  for (const k of FILTERS) if (q[k]) p.set(k, q[k]!);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString();
};

const LABELS: Record<(typeof FILTERS)[number], string> = {
  executionId: 'Execution id',
  userId: 'User',
  agentId: 'Agent',
  tool: 'Tool',
  outcome: 'Outcome',
};

function eventRow(e: AuditEvent): string[] {
  return [
    escapeHtml(when(e.occurredAt)),
    `<code>${escapeHtml(e.kind)}</code>`,
    `<a href="/console/audit?executionId=${encodeURIComponent(e.executionId)}"><code>${escapeHtml(e.executionId)}</code></a>`,
    escapeHtml(e.userId ?? ''),
    escapeHtml(e.agentId ?? ''),
    e.toolSlug ? `<code>${escapeHtml(e.toolSlug)}</code>` : '',
    `${statusBadge(e.outcome)}${e.errorCode ? `<br><code>${escapeHtml(e.errorCode)}</code>` : ''}`,
    `${Math.round(e.latencyMs)} ms`,
  ];
}

/** The audit explorer: filters (execution id included), chain verification, export. */
export const consoleAuditRoutes = (rt: Runtime) => [
  consolePageRoute(rt, {
    url: '/console/audit',
    operationId: 'consoleAudit',
    summary: 'The audit explorer',
    query: z.object({ ...filterSchema, cursor: cursorSchema.optional() }),
    handler: async ({ session, query }) => {
      const page = await rt.audit.list(session.projectId, toFilter(query), {
        limit: 50,
        cursor: query.cursor,
      });
      const verdict = await rt.audit.verify(session.projectId);
      const verdictText = verdict.ok
        ? `<p class="verdict ok" role="status">Chain verified: ${verdict.rows} chained rows intact${verdict.head ? `, head #${verdict.head.seq} <code>${escapeHtml(verdict.head.hash.slice(0, 16))}…</code>` : ''}${verdict.unchained ? ` (${verdict.unchained} rows predate the chain)` : ''}.</p>`
        : `<p class="verdict bad" role="alert">Chain BROKEN at #${verdict.firstBroken?.seq ?? '?'}: ${escapeHtml(verdict.firstBroken?.reason ?? 'unknown')}.</p>`;
      const fields = FILTERS.map(
        (k) =>
          `<div><label for="f-${k}">${LABELS[k]}</label><input type="text" id="f-${k}" name="${k}" value="${escapeHtml(query[k] ?? '')}"></div>`,
      ).join('');
      const qs = queryString(query);
      const next = page.nextCursor
        ? `<p><a href="/console/audit?${escapeHtml(queryString(query, { cursor: page.nextCursor }))}">Older events</a></p>`
        : '';
      return consoleHtml(
        200,
        consolePage(
          'Audit',
          `${verdictText}
<form method="get" action="/console/audit" class="filters" aria-label="Filter audit events">${fields}
<button type="submit">Filter</button> <a href="/console/audit">Clear</a></form>
<p>Export these events: <a href="/console/audit/export?${escapeHtml(queryString(query, { format: 'csv' }))}">CSV</a> · <a href="/console/audit/export?${escapeHtml(queryString(query, { format: 'ndjson' }))}">NDJSON</a></p>
${table(`Audit events${qs ? ' (filtered)' : ''}, newest first`, ['When', 'Kind', 'Execution', 'User', 'Agent', 'Tool', 'Outcome', 'Latency'], page.items.map(eventRow), 'No events match.')}
${next}`,
          session,
          '/console/audit',
        ),
      );
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/console/audit/export',
    auth: 'none',
    operationId: 'consoleAuditExport',
    summary: 'The filtered audit events as CSV or NDJSON (console session)',
    query: z.object({ ...filterSchema, format: z.enum(['csv', 'ndjson']).default('csv') }),
    responses: {
      200: text('text/csv', 'The matching events, newest first (CSV, or NDJSON with format=ndjson)'),
      303: { kind: 'empty', description: 'Not signed in: on to the sign-in page', headers: ['location'] },
    },
    handler: async ({ query, request }) => {
      const session = await rt.consoleSessions.get(request.cookies[sessionCookieName(rt)]);
      if (!session) return seeOther('/console/sign-in');
      if (!hasProject(session)) return seeOther('/console/projects');
      // The same export as GET /v1/audit/export, streamed a page at a time.
      return {
        status: 200,
        body: Readable.from(exportLines(rt.audit.each(session.projectId, toFilter(query)), query.format)),
        headers: {
          'content-type': query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
          'content-disposition': `attachment; filename="audit-${session.projectId}.${query.format}"`,
        },
      };
    },
  }),
];
