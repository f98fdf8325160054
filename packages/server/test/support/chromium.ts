import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.GATEHOUSE_CHROMIUM ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

if (!hasChromium) {
  console.warn(
    `\n[gatehouse tests] Chromium not found at ${CHROMIUM}: browser tests are SKIPPED.\n` +
      '                  Install it with `apt-get install -y chromium` (.ci/run does), or set GATEHOUSE_CHROMIUM.\n',
  );
}

/** Debian's Chromium driven by playwright-core, headless, no background traffic (launch() uses a fresh profile). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/** Where tests keep screenshots for people to look at (ignored by git). */
export function artifactPath(name: string): string {
  const dir = resolve(import.meta.dirname, '../../../../test-artifacts');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
