import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

// GET /v1/tools?search= over the whole shipped catalog, as an agent asks it, with the provider filter.

interface ToolPage {
  items: Array<{ slug: string; toolkit: string; provider: string }>;
  nextCursor: string | null;
}

describeEachDatabase('tool search over the API', (t) => {
  let gh: TestGatehouse;
  let key: string;
  const tools = async (query: string) => {
    const res = await gh.call('GET', `/v1/tools?${query}`, { key });
    expect(res.status, res.text).toBe(200);
    return res.body as ToolPage;
  };

  beforeAll(async () => {
    gh = await startTestGatehouse(t.db());
    key = (await gh.createProject('search')).apiKey;
  });
  afterAll(async () => {
    await gh?.close();
  });

  it('ranks by intent across providers: charging and refunding are Stripe, sending mail is Gmail', async () => {
    expect((await tools('search=charge%20a%20customer&limit=3')).items[0]?.slug).toBe(
      'stripe.payment_intents.create',
    );
    expect((await tools('search=refund%20a%20payment&limit=3')).items[0]?.slug).toBe('stripe.refunds.create');
    expect((await tools('search=send%20an%20email&limit=3')).items.map((i) => i.slug)).toContain(
      'gmail.messages.send',
    );
  });

  it('filters by provider id or toolkit id, with or without a search, and pages within the filter', async () => {
    const google = await tools('provider=google&limit=200');
    expect(new Set(google.items.map((i) => i.provider))).toEqual(new Set(['google']));
    expect([...new Set(google.items.map((i) => i.toolkit))]).toEqual(
      expect.arrayContaining(['gmail', 'google_calendar', 'google_drive']),
    );
    const gmail = await tools('provider=gmail&search=send&limit=5');
    expect(gmail.items.length).toBeGreaterThan(0);
    expect(gmail.items.every((i) => i.toolkit === 'gmail')).toBe(true);
    const both = await tools('provider=linear,hubspot&search=open%20a%20ticket&limit=2');
    expect(both.items.map((i) => i.slug).sort()).toEqual(['hubspot.tickets.create', 'linear.issues.create']);

    const first = await tools('provider=stripe&limit=10');
    expect(first.items).toHaveLength(10);
    expect(first.nextCursor).not.toBeNull();
    const second = await tools(`provider=stripe&limit=10&cursor=${first.nextCursor}`);
    expect(second.items.every((i) => i.provider === 'stripe')).toBe(true);
    expect(second.items.map((i) => i.slug)).not.toContain(first.items[0]?.slug);

    expect((await tools('provider=nobody&search=send')).items).toEqual([]);
  });

  it('refuses a malformed provider filter with a JSON 400', async () => {
    const res = await gh.call('GET', '/v1/tools?provider=%3Cscript%3E', { key });
    expect(res.status).toBe(400);
    expect((res.body as { error: { code: string } }).error.code).toBe('invalid_request');
  });
});
