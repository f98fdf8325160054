import type { Sandbox } from '@gatehouse/sandbox';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT, example, setPolicies } from '../governance/support.js';
import { execute, projectWithConnectedUsers, sandboxFor } from '../support/broker.js';
import { hasChromium, launchChromium } from '../support/chromium.js';
import { csrfOf, signInConsole } from '../support/console.js';
import { describeEachDatabase } from '../support/databases.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

/**
 * The console's core walk (sign in, revoke an account, decide an approval, a viewer refused) on
 * each database: embedded PGlite and, when GATEHOUSE_TEST_DATABASE_URL is set, a scratch PostgreSQL
 * database (the PostgreSQL leg is listed as skipped otherwise). console.browser.test.ts walks every
 * page on PGlite.
 */
describe.skipIf(!hasChromium)('the operator console on each database, in Chromium', () => {
  describeEachDatabase('console: sign in, revoke, decide', (t) => {
    let gh: TestGatehouse;
    let sandbox: Sandbox;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let p: Awaited<ReturnType<typeof projectWithConnectedUsers>>;

    beforeAll(async () => {
      gh = await startTestGatehouse(t.db());
      let client: { clientId: string; clientSecret: string };
      ({ sandbox, client } = await sandboxFor(gh));
      p = await projectWithConnectedUsers(gh, sandbox, client, ['alice', 'bob']);
      await setPolicies(gh, p.apiKey, [{ name: 'approvals', policies: example('approval-for-writes') }]);
      const write = await execute(
        gh,
        p.apiKey,
        'acme.tasks.create',
        { userId: 'alice', arguments: { title: `ship it on ${t.kind}` } },
        AGENT,
      );
      expect(write.result.error?.code).toBe('approval_required');
      browser = await launchChromium();
      context = await browser.newContext();
      context.on('page', (pg) => pg.on('dialog', (d) => void d.accept()));
    }, 60_000);
    afterAll(async () => {
      await browser?.close();
      await gh?.close();
      await sandbox?.close();
    });

    it('an operator signs in with a project key; the session is a row of this database', async () => {
      // The server runs on this leg's database (a scratch PostgreSQL database on that leg).
      expect(gh.server.runtime.db).toBe(t.db());
      if (t.kind === 'postgres') expect(t.url()).toMatch(/^postgres(ql)?:\/\/.*\/gatehouse_t_/);
      page = await signInConsole(gh, context, p.apiKey, 'operator');
      expect(await page.textContent('.role')).toBe('operator');
      const { rows } = await gh.server.runtime.db.query<{ role: string; method: string }>(
        'SELECT role, method FROM console_sessions',
      );
      expect(rows).toEqual([{ role: 'operator', method: 'api_key' }]);
    });

    it("revokes bob's account: gone from the API, audited as the console operator", async () => {
      await page.goto(`${gh.url}/console/users/bob`);
      await page.getByRole('button', { name: /Revoke/ }).click();
      await page.waitForURL(/notice=revoked/);
      expect(await page.textContent('main')).toContain('has no connected accounts');
      const gone = await gh.call('GET', `/v1/connected-accounts/${p.accounts.bob}`, { key: p.apiKey });
      expect(gone.status).toBe(404);
      const audit = await gh.call('GET', '/v1/audit?limit=5', { key: p.apiKey });
      const row = (
        audit.body as { items: Array<{ kind: string; detail: Record<string, unknown> }> }
      ).items.find((e) => e.kind === 'admin.connected_account.deleted');
      expect(row?.detail).toMatchObject({ connectedAccountId: p.accounts.bob, via: 'console' });
    });

    it('decides the pending approval with the exact arguments shown', async () => {
      await page.getByRole('navigation').getByRole('link', { name: 'Approvals' }).click();
      await page.waitForURL(/\/console\/approvals/);
      const card = page.locator('section.approval').first();
      expect(await card.locator('pre').textContent()).toContain(`"title": "ship it on ${t.kind}"`);
      await card.getByRole('button', { name: 'Approve' }).click();
      await page.waitForURL(/notice=approved/);
      const list = await gh.call('GET', '/v1/approvals?status=approved', { key: p.apiKey });
      const [approval] = (list.body as { items: Array<{ decidedBy: Record<string, unknown> }> }).items;
      expect(String(approval?.decidedBy.apiKeyId)).toMatch(/^console:key:/);
    });

    it('a viewer is refused on the server: alice keeps her account', async () => {
      const key = await gh.call('POST', '/v1/api-keys', {
        key: p.apiKey,
        body: { name: 'dash', role: 'runtime' },
      });
      const viewerContext = await browser.newContext();
      const viewer = await signInConsole(gh, viewerContext, (key.body as { key: string }).key, 'admin');
      expect(await viewer.textContent('.role')).toBe('viewer');
      const res = await viewer.request.post(`${gh.url}/console/accounts/${p.accounts.alice}/revoke`, {
        form: { csrf: await csrfOf(viewer) },
      });
      expect(res.status()).toBe(403);
      const still = await gh.call('GET', `/v1/connected-accounts/${p.accounts.alice}`, { key: p.apiKey });
      expect(still.status).toBe(200);
      await viewerContext.close();
    });
  });
});
