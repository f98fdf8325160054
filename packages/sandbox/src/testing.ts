/**
 * A headless browser for the sandbox's sign-in pages, for tests: follows redirects, keeps cookies,
 * fills the login and consent forms, and stops at the client's redirect URI without fetching it.
 */

interface StoredCookie {
  name: string;
  value: string;
  path: string;
  secure: boolean;
}

/** A minimal cookie jar: per origin, honours Path, Secure and deletion (Max-Age=0 / past Expires). */
export class CookieJar {
  readonly #byOrigin = new Map<string, Map<string, StoredCookie>>();

  store(url: URL, setCookieHeaders: readonly string[]): void {
    const jar = this.#byOrigin.get(url.origin) ?? new Map<string, StoredCookie>();
    this.#byOrigin.set(url.origin, jar);
    for (const header of setCookieHeaders) {
      const [pair = '', ...attributes] = header.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const cookie = {
        name: pair.slice(0, eq),
        value: pair.slice(eq + 1),
        path: defaultPath(url),
        secure: false,
      };
      let expired = false;
      for (const attribute of attributes) {
        const [key = '', value = ''] = attribute.split('=', 2);
        if (/^path$/i.test(key) && value.startsWith('/')) cookie.path = value;
        if (/^secure$/i.test(key)) cookie.secure = true;
        if (/^max-age$/i.test(key) && Number(value) <= 0) expired = true;
        if (/^expires$/i.test(key) && Date.parse(value) <= Date.now()) expired = true;
      }
      const key = `${cookie.name};${cookie.path}`;
      if (expired) jar.delete(key);
      else jar.set(key, cookie);
    }
  }

  /** The Cookie header for a request to `url` (empty string when none apply). */
  header(url: URL): string {
    const cookies = [...(this.#byOrigin.get(url.origin)?.values() ?? [])];
    return cookies
      .filter(
        (c) =>
          url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
      )
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

function defaultPath(url: URL): string {
  const path = url.pathname.slice(0, url.pathname.lastIndexOf('/'));
  return path === '' ? '/' : path;
}

export interface CompleteAuthorizationOptions {
  /** what to press on the consent page; default `approve` */
  decision?: 'approve' | 'deny';
  /** share cookies (e.g. the sandbox session) between calls */
  cookieJar?: CookieJar;
  /** origins besides the authorization URL's whose redirects are followed, e.g. the sandbox's
   *  when the authorization URL is a Gatehouse page that redirects there */
  followOrigins?: string[];
  /** where to stop; default: at the first redirect leaving the followed origins */
  stopAt?: (url: URL) => boolean;
  /** sees every HTML page before its form is submitted (to assert on the login or consent page) */
  onPage?: (url: URL, html: string) => void;
}

const MAX_STEPS = 20;

/**
 * Opens `authorizationUrl`, signs in as `login` and answers the consent page, then returns the URL
 * of the first redirect that leaves the followed origins (the client's redirect URI with `code`,
 * `state` and `iss`, or with `error`), without fetching it.
 * @throws when the credentials are refused, a page is unexpected, or no stop is reached
 */
export async function completeAuthorization(
  authorizationUrl: string,
  login: { username: string; password: string },
  options: CompleteAuthorizationOptions = {},
): Promise<string> {
  const jar = options.cookieJar ?? new CookieJar();
  let url = new URL(authorizationUrl);
  const followed = new Set([url.origin, ...(options.followOrigins ?? []).map((o) => new URL(o).origin)]);
  const stopAt = options.stopAt ?? ((next: URL) => !followed.has(next.origin));
  let form: URLSearchParams | undefined;

  for (let step = 0; step < MAX_STEPS; step++) {
    const headers: Record<string, string> = { cookie: jar.header(url) };
    if (form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    const response = await fetch(url, {
      method: form === undefined ? 'GET' : 'POST',
      headers,
      redirect: 'manual',
      ...(form === undefined ? {} : { body: form }),
    });
    jar.store(url, response.headers.getSetCookie());
    const submitted = form;
    form = undefined;

    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      const next = new URL(location, url);
      if (stopAt(next)) return next.href;
      url = next;
      continue;
    }

    const html = await response.text();
    options.onPage?.(url, html);
    const action = /<form[^>]*\baction="([^"]*)"/i.exec(html)?.[1];
    if (action === undefined)
      throw new Error(`unexpected page ${url.href} (${response.status}): ${html.slice(0, 300)}`);
    if (/name="username"/.test(html)) {
      if (submitted?.has('username') === true) throw new Error(`sign-in refused for ${login.username}`);
      form = new URLSearchParams({ username: login.username, password: login.password });
    } else if (/name="decision"/.test(html)) {
      form = new URLSearchParams({ decision: options.decision ?? 'approve' });
    } else {
      throw new Error(`unexpected form at ${url.href}: ${html.slice(0, 300)}`);
    }
    url = new URL(action.replaceAll('&amp;', '&'), url);
  }
  throw new Error(`no stop after ${MAX_STEPS} steps, last at ${url.href}`);
}
