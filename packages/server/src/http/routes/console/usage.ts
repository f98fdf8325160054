import { z } from 'zod';
import { lineChart, toSeries } from '../../../console/charts.js';
import { consolePage, escapeHtml, table } from '../../../console/layout.js';
import { type UsageGroup, usageSeries } from '../../../limits/usage.js';
import type { Runtime } from '../../../runtime.js';
import { consoleHtml, consolePageRoute } from './guard.js';

const PERIODS = {
  '24h': { ms: 86_400_000, bucket: 'hour' },
  '7d': { ms: 7 * 86_400_000, bucket: 'day' },
  '30d': { ms: 30 * 86_400_000, bucket: 'day' },
} as const;
const GROUPS: ReadonlyArray<{ group: UsageGroup; title: string }> = [
  { group: 'user', title: 'per user' },
  { group: 'agent', title: 'per agent' },
  { group: 'tool', title: 'per tool' },
];

/** Usage charts per user, agent and tool over time (charged calls, from the audit trail). */
export const consoleUsageRoutes = (rt: Runtime) => [
  consolePageRoute(rt, {
    url: '/console/usage',
    operationId: 'consoleUsage',
    summary: 'Usage charts per user, agent and tool',
    query: z.object({
      period: z.enum(['24h', '7d', '30d']).default('7d'),
      metric: z.enum(['calls', 'costUnits']).default('calls'),
    }),
    handler: async ({ session, query }) => {
      const { ms, bucket } = PERIODS[query.period];
      const since = new Date(Date.now() - ms);
      const charts = await Promise.all(
        GROUPS.map(async ({ group, title }) => {
          await rt.audit.settled();
          const points = await usageSeries(rt.db, session.projectId, group, since, bucket);
          const { buckets, series } = toSeries(points, since, bucket, query.metric);
          const heading = `${query.metric === 'calls' ? 'Calls' : 'Cost units'} ${title}`;
          const rows = series.map((s) => [escapeHtml(s.key), String(s.values.reduce((a, b) => a + b, 0))]);
          return `<section aria-labelledby="h-${group}"><h2 id="h-${group}">${escapeHtml(heading)}</h2>
${lineChart(`chart-${group}`, `${heading}, last ${query.period}`, buckets, series, bucket)}
<details><summary>Data table</summary>${table(`${heading}, last ${query.period}`, [group, 'Total'], rows, 'No usage in this period.')}</details></section>`;
        }),
      );
      const option = (name: string, value: string, label: string, selected: string) =>
        `<option value="${value}"${value === selected ? ' selected' : ''}>${label}</option>`;
      return consoleHtml(
        200,
        consolePage(
          'Usage',
          `<form method="get" action="/console/usage" class="filters">
<div><label for="period">Period</label><select id="period" name="period">${option('period', '24h', 'last 24 hours', query.period)}${option('period', '7d', 'last 7 days', query.period)}${option('period', '30d', 'last 30 days', query.period)}</select></div>
<div><label for="metric">Measure</label><select id="metric" name="metric">${option('metric', 'calls', 'calls', query.metric)}${option('metric', 'costUnits', 'cost units', query.metric)}</select></div>
<button type="submit">Show</button></form>
<p class="muted">Charged calls (those that passed rate limits and budgets), counted from the audit trail.</p>
${charts.join('')}`,
          session,
          '/console/usage',
        ),
      );
    },
  }),
];
