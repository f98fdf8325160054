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

/**
 * Signs in to the console with a credential, asking for a role (a key's own role caps it). Lands on
 * the users page, or on `landing` (the admin token without a project lands on the Projects page).
 */
export async function signInToConsole(
  baseUrl: string,
  context: BrowserContext,
  credential: string,
  role: string,
  landing = '/console/users',
): Promise<Page> {
  const pg = await context.newPage();
  await pg.goto(`${baseUrl}/console`);
  expect(pg.url()).toBe(`${baseUrl}/console/sign-in`);
  await pg.getByLabel('Admin token or project API key').fill(credential);
  await pg.getByLabel('Act as').selectOption(role);
  await pg.getByRole('button', { name: 'Sign in', exact: true }).click();
  await pg.waitForURL(`${baseUrl}${landing}`);
  return pg;
}

/**
 * The enabled controls of a page's mutating forms (every POST form but sign-out): what a role that
 * may not change anything must not be offered.
 */
export function enabledMutatingControls(page: Page): Promise<number> {
  return page
    .locator(
      'form[method=post]:not(.signout) :is(button, select, textarea, input:not([type=hidden])):not([disabled])',
    )
    .count();
}

/** Signs in to the console of a test Gatehouse, acting as `role`; lands on the users page. */
export const signInConsole = (
  gh: TestGatehouse,
  context: BrowserContext,
  credential: string,
  role: 'viewer' | 'operator' | 'admin',
): Promise<Page> => signInToConsole(gh.url, context, credential, role);

/** The session's CSRF token, as a form on the page carries it (for posts made outside a form). */
export const csrfOf = (page: Page): Promise<string> => page.locator('input[name=csrf]').first().inputValue();
