import { CookieJar, completeAuthorization } from '@gatehouse/sandbox/testing';

/**
 * Stands in for a person with a browser: opens the Connect Link, presses Continue, signs in and
 * consents at the sandbox, and lands back on Gatehouse. A real user does the same by clicking.
 */
export async function userOpensLink(
  redirectUrl: string,
  login: { username: string; password: string },
  onResponse: (url: string, body: string) => void = () => {},
): Promise<void> {
  const jar = new CookieJar();
  const browse = async (url: string, init: RequestInit = {}) => {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = jar.header(target);
    if (cookie) headers.set('cookie', cookie);
    const res = await fetch(target, { ...init, headers, redirect: 'manual' });
    jar.store(target, res.headers.getSetCookie());
    const body = await res.text();
    onResponse(url, body);
    return { status: res.status, location: res.headers.get('location'), body };
  };
  const page = await browse(redirectUrl);
  if (page.status !== 200) throw new Error(`the connect page answered ${page.status}`);
  const link = new URL(redirectUrl);
  const start = await browse(`${link.origin}${link.pathname}/start`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ key: link.searchParams.get('key') ?? '' }).toString(),
  });
  if (!start.location) throw new Error(`continue answered ${start.status}`);
  const callback = await completeAuthorization(start.location, login);
  const done = await browse(callback);
  if (done.status >= 400) throw new Error(`the connection failed: ${done.body.slice(0, 200)}`);
}
