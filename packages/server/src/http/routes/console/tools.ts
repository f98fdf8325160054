import { z } from 'zod';
import { consolePage, escapeHtml, statusBadge, table } from '../../../console/layout.js';
import type { Runtime } from '../../../runtime.js';
import { consoleHtml, consolePageRoute } from './guard.js';

const LIMIT = 200;

/** The project's tool catalog (built-in and custom toolkits), searchable, with each tool's risk and scopes. */
export const consoleToolRoutes = (rt: Runtime) => [
  consolePageRoute(rt, {
    url: '/console/tools',
    operationId: 'consoleTools',
    summary: 'The tool catalog with search',
    query: z.object({ q: z.string().max(200).optional() }),
    handler: async ({ session, query }) => {
      const q = query.q?.trim() || undefined;
      // The same catalog and ranked search as GET /v1/tools?search=.
      const tools = await rt.catalog.list(session.projectId, q ? { search: q } : {});
      const rows = tools
        .slice(0, LIMIT)
        .map((t) => [
          `<code>${escapeHtml(t.tool.slug)}</code>${t.custom ? ' <span class="badge">custom</span>' : ''}`,
          `<strong>${escapeHtml(t.tool.name)}</strong><br><span class="muted">${escapeHtml(t.tool.description.slice(0, 200))}</span>`,
          statusBadge(t.tool.risk),
          t.tool.scopes.map((s) => `<code>${escapeHtml(s)}</code>`).join(' ') ||
            '<span class="muted">none</span>',
        ]);
      return consoleHtml(
        200,
        consolePage(
          'Tools',
          `<form method="get" action="/console/tools" class="filters" role="search">
<div><label for="q">Search tools</label><input type="search" id="q" name="q" value="${escapeHtml(q ?? '')}"></div>
<button type="submit">Search</button></form>
<p class="muted">${tools.length} tool${tools.length === 1 ? '' : 's'}${q ? ` matching “${escapeHtml(q)}”, best first` : ''}${tools.length > LIMIT ? `; the first ${LIMIT} shown` : ''}.</p>
${table('Tools', ['Slug', 'Tool', 'Risk', 'Scopes'], rows, 'No tool matches.')}`,
          session,
          '/console/tools',
        ),
      );
    },
  }),
];
