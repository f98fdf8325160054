import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestGatehouse } from './gatehouse.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}

/** axe-core injected into the page (the context must bypass CSP for it): serious/critical violations. */
export async function axeScan(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Signs in to the console with a key (or the admin token), acting as `role`; lands on the users page. */
export async function signInConsole(
  gh: TestGatehouse,
  context: BrowserContext,
  credential: string,
  role: 'viewer' | 'operator' | 'admin',
): Promise<Page> {
  const pg = await context.newPage();
  await pg.goto(`${gh.url}/console`);
  expect(pg.url()).toBe(`${gh.url}/console/sign-in`);
  await pg.getByLabel('Admin token or project API key').fill(credential);
  await pg.getByLabel('Act as').selectOption(role);
  await pg.getByRole('button', { name: 'Sign in', exact: true }).click();
  await pg.waitForURL(`${gh.url}/console/users`);
  return pg;
}

/** The session's CSRF token, as a form on the page carries it (for posts made outside a form). */
export const csrfOf = (page: Page): Promise<string> => page.locator('input[name=csrf]').first().inputValue();
