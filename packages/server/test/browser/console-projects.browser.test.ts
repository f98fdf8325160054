import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/store/db.js';
import { artifactPath, hasChromium, launchChromium } from '../support/chromium.js';
import { type AxeViolation, axeScan, csrfOf, signInToConsole } from '../support/console.js';
import { startTestGatehouse, type TestGatehouse } from '../support/gatehouse.js';

interface ProjectView {
  id: string;
  name: string;
}

/**
 * The Projects page, walked by the instance admin (admin token, no project yet): list, create (its
 * first admin key shown once), open. A project's admin key may not see or use it.
 */
describe.skipIf(!hasChromium)('console: projects, for the instance admin only, in Chromium', () => {
  let gh: TestGatehouse;
  let browser: Browser;
  let existing: { projectId: string; apiKey: string };
  let instance: BrowserContext;
  let page: Page;
  let created: ProjectView;
  let firstKey: string;
  const violations: Record<string, AxeViolation[]> = {};

  async function scan(name: string, pg: Page) {
    violations[name] = await axeScan(pg);
    await pg.screenshot({ path: artifactPath(`console-${name}.png`), fullPage: true });
  }

  const projects = async (): Promise<ProjectView[]> => {
    const res = await gh.call('GET', '/v1/admin/projects?limit=200', { key: gh.adminToken });
    expect(res.status, res.text).toBe(200);
    return (res.body as { items: ProjectView[] }).items;
  };
  const boundProject = (pg: Page) => pg.locator('header .who code').textContent();

  beforeAll(async () => {
    gh = await startTestGatehouse(await openPglite());
    existing = await gh.createProject('existing project');
    browser = await launchChromium();
    instance = await browser.newContext({ bypassCSP: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await gh?.close();
    await gh?.server.runtime.db.close();
  });

  it('the admin token without a project id lands on the Projects page, which lists the projects', async () => {
    page = await signInToConsole(gh.url, instance, gh.adminToken, 'admin', '/console/projects');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Projects');
    expect(await page.locator('header .who').textContent()).toContain('no project open');
    // No project is open: the navigation offers the Projects page only, and a project page sends here.
    const nav = page.getByRole('navigation', { name: 'Console' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Projects']);
    await page.goto(`${gh.url}/console/keys`);
    expect(page.url()).toBe(`${gh.url}/console/projects`);
    const table = page.getByRole('table', { name: 'Projects, newest first' });
    await expect(table.getByRole('cell', { name: existing.projectId }).count()).resolves.toBe(1);
    await expect(page.getByRole('button', { name: 'Open project existing project' }).count()).resolves.toBe(
      1,
    );
    await scan('projects', page);
  });

  it('creates a project from the keyboard; its first admin key is shown once, in a no-store answer', async () => {
    const before = (await projects()).length;
    await page.getByLabel('Name', { exact: true }).fill('Acme staging');
    const answer = page.waitForResponse(
      (r) => r.url() === `${gh.url}/console/projects` && r.request().method() === 'POST',
    );
    await page.getByLabel('Name', { exact: true }).press('Enter');
    const res = await answer;
    expect(res.status()).toBe(200);
    expect(res.headers()['cache-control']).toBe('no-store');
    const after = await projects();
    expect(after).toHaveLength(before + 1);
    created = after.find((p) => p.name === 'Acme staging')!;
    expect(created).toBeDefined();
    await expect(page.getByRole('status').textContent()).resolves.toContain(created.id);
    firstKey = await page.getByLabel('First admin API key').inputValue();
    expect(firstKey).toMatch(/^gth_/);
    // The key is the new project's admin key, and works as one.
    const keys = await gh.call('GET', '/v1/api-keys', { key: firstKey });
    expect(keys.status, keys.text).toBe(200);
    expect((keys.body as { items: Array<{ role: string }> }).items.map((k) => k.role)).toEqual(['admin']);
    await scan('projects-created', page);
    // Shown once: loading the page again shows neither the field nor the secret.
    await page.goto(`${gh.url}/console/projects`);
    await expect(page.getByLabel('First admin API key').count()).resolves.toBe(0);
    expect(await page.content()).not.toContain(firstKey);
    expect(gh.logs.text()).not.toContain(firstKey);
  });

  it('opens the new project: the session is bound to it (new cookie, new CSRF token)', async () => {
    const cookieBefore = (await instance.cookies()).find((c) => c.name === 'gatehouse_console')!.value;
    const csrfBefore = await csrfOf(page);
    await page.getByRole('button', { name: 'Open project Acme staging' }).focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`${gh.url}/console/users`);
    expect(await boundProject(page)).toBe(created.id);
    const cookieAfter = (await instance.cookies()).find((c) => c.name === 'gatehouse_console')!.value;
    expect(cookieAfter).not.toBe(cookieBefore);
    expect(await csrfOf(page)).not.toBe(csrfBefore);
    // The keys page now is the new project's: its one key, `default`.
    await page.goto(`${gh.url}/console/keys`);
    const keys = page.getByRole('table', { name: 'API keys of this project, newest first' });
    expect(await keys.locator('tbody tr').count()).toBe(1);
    expect(await keys.textContent()).toContain('default');
    // With a project open, the Projects page stays in the navigation and marks the open one.
    await page.getByRole('link', { name: 'Projects' }).click();
    await page.waitForURL(`${gh.url}/console/projects`);
    await expect(page.getByRole('button', { name: 'Open project Acme staging' }).count()).resolves.toBe(0);
    await scan('projects-open', page);
  });

  it("a project admin key's session gets 403 on the page and on forged posts, and stays in its project", async () => {
    const keyContext = await browser.newContext({ bypassCSP: true });
    const pg = await signInToConsole(gh.url, keyContext, existing.apiKey, 'admin');
    expect(await boundProject(pg)).toBe(existing.projectId);
    await expect(pg.getByRole('link', { name: 'Projects' }).count()).resolves.toBe(0);
    const denied = await pg.goto(`${gh.url}/console/projects`);
    expect(denied?.status()).toBe(403);
    const before = (await projects()).length;
    // Forged posts carry this session's own valid CSRF token: the session's kind is what is refused.
    const csrf = await (async () => {
      await pg.goto(`${gh.url}/console/users`);
      return csrfOf(pg);
    })();
    const create = await pg.request.post(`${gh.url}/console/projects`, {
      form: { csrf, name: 'smuggled' },
      maxRedirects: 0,
    });
    expect(create.status()).toBe(403);
    const open = await pg.request.post(`${gh.url}/console/projects/open`, {
      form: { csrf, projectId: created.id },
      maxRedirects: 0,
    });
    expect(open.status()).toBe(403);
    expect(await projects()).toHaveLength(before);
    await pg.goto(`${gh.url}/console/users`);
    expect(await boundProject(pg)).toBe(existing.projectId);
    await keyContext.close();
  });

  it('the Projects pages have no serious or critical accessibility violations', () => {
    expect(Object.keys(violations).sort()).toEqual(['projects', 'projects-created', 'projects-open']);
    for (const [name, found] of Object.entries(violations))
      expect(
        found.map((v) => `${v.id}: ${v.help}`),
        name,
      ).toEqual([]);
  });
});
