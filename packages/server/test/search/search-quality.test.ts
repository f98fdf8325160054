import { readFileSync } from 'node:fs';
import { loadBuiltInToolkits } from '@gatehouse/catalog';
import { describe, expect, it } from 'vitest';
import { projectCatalogOf } from '../../src/catalog/tool-catalog.js';

// Search quality over the whole shipped catalog (sandbox toolkit included): the table in
// intent-queries.json is the contract. Extend it as toolkits land.

interface Row {
  query: string;
  expect: string[];
}
const table = JSON.parse(readFileSync(new URL('./intent-queries.json', import.meta.url), 'utf8')) as {
  minimumTop3Share: number;
  queries: Row[];
};
const toolkits = [...loadBuiltInToolkits({ sandbox: true }).values()];
const catalog = projectCatalogOf(
  'search-quality',
  toolkits.map((toolkit) => ({ toolkit, custom: false })),
);

describe('tool search finds tools by intent', () => {
  it('the table names only tools the catalog has, and has at least 30 rows', () => {
    expect(table.queries.length).toBeGreaterThanOrEqual(30);
    const missing = table.queries.filter((r) => !r.expect.some((slug) => catalog.get(slug)));
    expect(missing.map((r) => r.query)).toEqual([]);
  });

  it(`one expected tool is in the top 3 for at least ${table.minimumTop3Share * 100}% of the queries`, () => {
    const misses: string[] = [];
    let top5 = 0;
    for (const row of table.queries) {
      const five = catalog.search(row.query, { limit: 5 }).map((t) => t.tool.slug);
      const top = five.slice(0, 3);
      if (row.expect.some((slug) => five.includes(slug))) top5++;
      if (!row.expect.some((slug) => top.includes(slug)))
        misses.push(`"${row.query}" → ${top.join(', ')} (wanted ${row.expect.join(' or ')})`);
    }
    const hits = table.queries.length - misses.length;
    // The numbers and misses are printed so a regression says which intents it lost.
    console.info(
      `search over ${catalog.list().length} tools: top 3 ${hits}/${table.queries.length}, top 5 ${top5}/${table.queries.length}` +
        (misses.length > 0 ? `; misses:\n${misses.join('\n')}` : ''),
    );
    expect(hits / table.queries.length).toBeGreaterThanOrEqual(table.minimumTop3Share);
    expect(top5 / table.queries.length).toBeGreaterThanOrEqual(table.minimumTop3Share);
  });

  it('"open a ticket" ranks create tools first, not tools that merely mention open issues', () => {
    const top = catalog.search('open a ticket', { limit: 2 }).map((t) => t.tool.slug);
    expect(top.every((slug) => /\.create$/.test(slug))).toBe(true);
  });

  it('filters by toolkit and finds nothing for words no tool has', () => {
    expect(catalog.search('create', { toolkits: ['acme'] }).every((t) => t.toolkit.id === 'acme')).toBe(true);
    expect(catalog.search('zebra xylophone')).toEqual([]);
    expect(catalog.search('the a of')).toEqual([]);
  });
});
