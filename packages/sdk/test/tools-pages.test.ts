import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../server/src/store/db.js';
import { startTestGatehouse, type TestGatehouse } from '../../server/test/support/gatehouse.js';
import { Gatehouse } from '../src/index.js';

let gh: TestGatehouse;
let sdk: Gatehouse;
beforeAll(async () => {
  gh = await startTestGatehouse(await openPglite());
  sdk = new Gatehouse({ baseUrl: gh.url, apiKey: (await gh.createProject('sdk pages')).apiKey });
});
afterAll(async () => {
  await gh?.close();
  await gh?.server.runtime.db.close();
});

describe('tools.get returns every tool, whatever the page size', () => {
  it('follows nextCursor through all pages', async () => {
    const firstPage = await sdk.tools.list({ limit: 3 });
    expect(firstPage.items).toHaveLength(3);
    expect(firstPage.nextCursor).toEqual(expect.any(String));
    const smallPages = await sdk.tools.get({ limit: 3 });
    // The shipped catalog holds more than the largest page (200): both walks cross page boundaries.
    const largestPages = await sdk.tools.get({ limit: 200 });
    expect(largestPages.length).toBeGreaterThan(200);
    expect(smallPages.map((t) => t.slug)).toEqual(largestPages.map((t) => t.slug));
    expect(new Set(smallPages.map((t) => t.slug)).size).toBe(smallPages.length);
    expect(await sdk.tools.get()).toHaveLength(largestPages.length);
  });
});
