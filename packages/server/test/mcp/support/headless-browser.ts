import { CookieJar } from '@gatehouse/sandbox/testing';
import { PASSWORDS } from '../../support/connect.js';

export interface Page {
  url: URL;
  status: number;
  html: string;
}

export interface DriveOptions {
  /** Stop before fetching a redirect that satisfies this (e.g. the MCP client's redirect URI). */
  stopAt: (url: URL) => boolean;
  /** Who signs in: a user id for Gatehouse's dev form, a sandbox username (password from the fixtures). */
  user: string;
  /** The answer on Gatehouse's consent page; the sandbox's own consent page is always approved. */
  consent?: 'approve' | 'deny';
  /** Sees every HTML page before its form is submitted. */
  onPage?: (page: Page) => void;
}

const MAX_STEPS = 25;

/**
 * A browser as far as server-rendered pages are concerned: follows redirects, keeps cookies per
 * origin, and submits each page's form with its hidden fields plus what a person would type
 * (Gatehouse's dev sign-in, the sandbox's sign-in) or press (Allow / Deny).
 */
export class HeadlessBrowser {
  readonly jar = new CookieJar();

  async fetch(url: URL | string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = this.jar.header(target);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(target, { ...init, headers, redirect: 'manual' });
    this.jar.store(target, res.headers.getSetCookie());
    return res;
  }

  /** Follows the flow from `start` and returns the URL it stops at, or the last page when no stop is reached. */
  async drive(start: string, o: DriveOptions): Promise<{ stoppedAt: URL } | { page: Page }> {
    let url = new URL(start);
    let form: { method: string; body?: URLSearchParams } = { method: 'GET' };
    for (let step = 0; step < MAX_STEPS; step++) {
      const res = await this.fetch(url, {
        method: form.method,
        ...(form.body
          ? { body: form.body, headers: { 'content-type': 'application/x-www-form-urlencoded' } }
          : {}),
      });
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        const next = new URL(location, url);
        if (o.stopAt(next)) return { stoppedAt: next };
        url = next;
        form = { method: 'GET' };
        continue;
      }
      const page: Page = { url, status: res.status, html: await res.text() };
      o.onPage?.(page);
      const parsed = parseForm(page.html);
      if (!parsed || res.status >= 400) return { page };
      const body = new URLSearchParams(parsed.hidden);
      if (parsed.fields.includes('userId')) body.set('userId', o.user);
      if (parsed.fields.includes('username')) {
        body.set('username', o.user);
        body.set('password', PASSWORDS[o.user] ?? '');
      }
      if (parsed.decisions.length > 0) {
        const ours = url.pathname.startsWith('/as/');
        body.set('decision', ours ? (o.consent ?? 'approve') : 'approve');
      }
      url = new URL(parsed.action, url);
      form = { method: 'POST', body };
    }
    throw new Error(`no stop after ${MAX_STEPS} steps, last at ${url.href}`);
  }
}

const decodeHtml = (s: string) =>
  s
    .replaceAll('&amp;', '&')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>');

function parseForm(
  html: string,
): { action: string; hidden: Record<string, string>; fields: string[]; decisions: string[] } | undefined {
  const form = /<form[^>]*\baction="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
  if (!form) return undefined;
  const hidden: Record<string, string> = {};
  const fields: string[] = [];
  for (const input of form[2]!.matchAll(/<input\b[^>]*>/gi)) {
    const name = /\bname="([^"]*)"/.exec(input[0])?.[1];
    if (!name) continue;
    if (/type="hidden"/i.test(input[0]))
      hidden[name] = decodeHtml(/\bvalue="([^"]*)"/.exec(input[0])?.[1] ?? '');
    else fields.push(name);
  }
  const decisions = [...form[2]!.matchAll(/<button[^>]*name="decision"[^>]*value="([^"]*)"/gi)].map(
    (m) => m[1]!,
  );
  return { action: decodeHtml(form[1]!), hidden, fields, decisions };
}
