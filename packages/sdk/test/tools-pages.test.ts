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
    const all = await sdk.tools.get({ limit: 3 });
    const oneCall = (await sdk.tools.list({ limit: 200 })).items;
    expect(oneCall.length).toBeGreaterThan(3);
    expect(all.map((t) => t.slug)).toEqual(oneCall.map((t) => t.slug));
    expect(await sdk.tools.get()).toHaveLength(oneCall.length);
  });
});
