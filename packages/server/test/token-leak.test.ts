import { expect, it } from 'vitest';
import { runDemo } from '../../../examples/demo/demo.js';
import { dumpDatabase } from './support/connect.js';
import { LogCapture } from './support/gatehouse.js';

it('the demo scenario leaks no token: not in logs, responses, audit, the database or /metrics', async () => {
  const logs = new LogCapture();
  const responses: string[] = [];
  const printed: string[] = [];
  const run = await runDemo({
    logs,
    onResponse: (url, body) => responses.push(`${url}\n${body}`),
    print: (l) => printed.push(l),
  });
  try {
    const tokens = [...run.sandbox.issuedTokens().accessTokens, ...run.sandbox.issuedTokens().refreshTokens];
    // alice and bob connected, alice stepped up: at least three token sets were issued.
    expect(run.sandbox.issuedTokens().refreshTokens.length).toBeGreaterThanOrEqual(3);
    expect(printed.join('\n')).toContain('the retry succeeded');
    const metrics = await (await fetch(`${run.server.url}/metrics`)).text();
    const db = await dumpDatabase(run.server.runtime.db);
    const audit = (await run.server.runtime.db.query('SELECT * FROM audit_events')).rows;
    expect(audit.length).toBeGreaterThanOrEqual(7);
    expect(logs.lines.length).toBeGreaterThan(10);
    expect(responses.length).toBeGreaterThan(10);
    const haystacks: Record<string, string> = {
      logs: logs.text(),
      responses: responses.join('\n'),
      audit: JSON.stringify(audit),
      database: db,
      metrics,
      printed: printed.join('\n'),
    };
    for (const [where, text] of Object.entries(haystacks)) {
      for (const token of tokens) expect(text.includes(token), `a token appears in ${where}`).toBe(false);
    }
  } finally {
    await run.close();
  }
});
