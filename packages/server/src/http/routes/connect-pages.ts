import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { entryPage } from '../../connect/credentials/entry-page.js';
import { entryCsrf, HostedEntry } from '../../connect/credentials/hosted-entry.js';
import type { CallbackOutcome, FlowFailure, OpenedLink } from '../../connect/hosted-flow.js';
import { connectPage, errorPage, type PageFrame, pageCsp, successPage } from '../../connect/pages.js';
import type { Runtime } from '../../runtime.js';
import { randomToken } from '../../shared/ids.js';
import { pageResponses } from '../responses.js';
import { defineRoute, type HttpResponse } from '../route.js';

const linkParams = z.strictObject({ id: z.string().min(1).max(64) });
const keySchema = z.string().min(1).max(100);
const NEUTRAL: PageFrame = { title: 'Gatehouse', appName: 'Gatehouse', branding: {} };

/** The browser binding cookie: `__Host-` (Secure, Path=/, no Domain) whenever we are served over HTTPS. */
function cookieName(rt: Runtime): string {
  return rt.config.publicUrl.startsWith('https://') ? '__Host-gatehouse_browser' : 'gatehouse_browser';
}

function browserId(rt: Runtime, request: FastifyRequest, reply: FastifyReply): string {
  const existing = request.cookies[cookieName(rt)];
  if (existing && /^[A-Za-z0-9]{32}$/.test(existing)) return existing;
  const id = randomToken(32);
  reply.setCookie(cookieName(rt), id, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax', // the provider's redirect back is a top-level GET, which Lax cookies accompany
    secure: rt.config.publicUrl.startsWith('https://'),
    maxAge: 24 * 3600,
  });
  return id;
}

const html = (status: number, body: string, csp = pageCsp()): HttpResponse => ({
  status,
  body,
  headers: {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': csp,
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  },
});

async function frameFor(rt: Runtime, failure: FlowFailure): Promise<PageFrame> {
  if (!failure.link) return NEUTRAL;
  const config = await rt.authConfigs.get(failure.link.projectId, failure.link.authConfigId);
  if (!config.ok) return NEUTRAL;
  const appName = config.value.branding.displayName ?? config.value.name;
  return { title: appName, appName, branding: config.value.branding };
}

async function failurePage(rt: Runtime, failure: FlowFailure): Promise<HttpResponse> {
  // A link bound to a signed-in user (MCP): send the browser to sign in, then back to the link.
  const loginUrl = failure.code === 'login_required' ? failure.details?.loginUrl : undefined;
  if (typeof loginUrl === 'string') return { status: 303, headers: { location: loginUrl } };
  const frame = await frameFor(rt, failure);
  let returnUrl: string | undefined;
  if (failure.link?.callbackUrl) {
    const url = new URL(failure.link.callbackUrl);
    url.searchParams.set('status', 'failed');
    url.searchParams.set('error', failure.code);
    url.searchParams.set('connect_link_id', failure.link.id);
    returnUrl = url.toString();
  }
  const status =
    failure.code === 'link_not_found' || failure.code === 'state_unknown'
      ? 404
      : failure.code === 'forbidden'
        ? 403
        : 400;
  return html(status, errorPage(frame, { code: failure.code, message: failure.message, returnUrl }));
}

/** Hosted Connect Link pages and the single OAuth redirect URI. */
export const connectPageRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'GET',
    url: '/connect/:id',
    auth: 'none',
    operationId: 'connectLinkPage',
    params: linkParams,
    query: z.object({ key: keySchema }),
    responses: pageResponses([400, 404], true),
    handler: async ({ params, query, request, reply }) => {
      const opened = await rt.hostedFlow.open(params.id, query.key, request.cookies);
      if (!opened.ok) return failurePage(rt, opened.error);
      const { link, config, provider } = opened.value;
      const appName = config.branding.displayName ?? config.name;
      if (HostedEntry.takesEntry(opened.value)) {
        const csrf = entryCsrf(browserId(rt, request, reply), link.id);
        return entryResponse(200, { link, config, provider }, { key: query.key, csrf });
      }
      const page = connectPage(
        { title: `Connect ${provider.definition.displayName}`, appName, branding: config.branding },
        {
          provider: provider.definition,
          scopes: link.scopes,
          userId: link.userId,
          linkId: link.id,
          key: query.key,
          label: link.label,
        },
      );
      return html(200, page, pageCsp([new URL(provider.endpoints.authorization).origin]));
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/connect/:id/start',
    auth: 'none',
    operationId: 'startConnectLink',
    params: linkParams,
    body: z.object({ key: keySchema }),
    responses: pageResponses([400, 404], true),
    handler: async ({ params, body, request, reply }) => {
      const started = await rt.hostedFlow.start(
        params.id,
        body.key,
        browserId(rt, request, reply),
        request.cookies,
      );
      if (!started.ok) return failurePage(rt, started.error);
      return { status: 303, headers: { location: started.value } };
    },
  }),
  defineRoute({
    method: 'POST',
    url: '/connect/:id/credentials',
    auth: 'none',
    params: linkParams,
    body: entryBody,
    operationId: 'submitConnectCredentials',
    responses: pageResponses([400, 403, 404], true),
    handler: async ({ params, body, request }) => {
      // A browser posting from another origin is refused before anything else (the token checks it too).
      // "null" is what a page with Referrer-Policy: no-referrer sends (Fetch: serializing a request origin).
      const origin = request.headers.origin;
      if (origin !== undefined && origin !== 'null' && origin !== new URL(rt.config.publicUrl).origin)
        return failurePage(rt, { code: 'forbidden', message: 'This form was sent from another site.' });
      const browser = request.cookies[cookieName(rt)];
      const submitted = await rt.hostedEntry.submit(
        params.id,
        body.key,
        browser,
        body.csrf,
        request.cookies,
        body,
      );
      if (submitted.ok) return finished(rt, submitted.value);
      const { error } = submitted;
      if (!error.retry || !error.link || !browser) return failurePage(rt, error);
      const loaded = await rt.authConfigs.load(error.link.projectId, error.link.authConfigId);
      if (!loaded.ok) return failurePage(rt, error);
      return entryResponse(
        400,
        { link: error.link, config: loaded.value.config, provider: loaded.value.provider },
        { key: body.key, csrf: body.csrf, error: error.message, username: body.username },
      );
    },
  }),
  defineRoute({
    method: 'GET',
    url: '/oauth/callback',
    auth: 'none',
    operationId: 'oauthCallback',
    responses: pageResponses([400, 404], true),
    handler: async ({ request }) => {
      const callbackUrl = new URL(request.url, rt.config.publicUrl);
      const result = await rt.hostedFlow.callback(callbackUrl, request.cookies[cookieName(rt)]);
      if (!result.ok) return failurePage(rt, result.error);
      return finished(rt, result.value);
    },
  }),
];

/** Where a finished flow (OAuth callback or typed credential) sends the browser. */
async function finished(rt: Runtime, outcome: CallbackOutcome): Promise<HttpResponse> {
  // User verification: the app confirms its signed-in user before anything is saved.
  if ('verifyUrl' in outcome) return { status: 303, headers: { location: outcome.verifyUrl } };
  const { link, account } = outcome;
  if (link.callbackUrl) {
    const url = new URL(link.callbackUrl);
    url.searchParams.set('status', 'success');
    url.searchParams.set('connected_account_id', account.id);
    url.searchParams.set('connect_link_id', link.id);
    return { status: 303, headers: { location: url.toString() } };
  }
  const loaded = await rt.authConfigs.load(link.projectId, link.authConfigId);
  if (!loaded.ok) return html(200, successPage(NEUTRAL, account.providerId));
  const { config, provider } = loaded.value;
  const appName = config.branding.displayName ?? config.name;
  return html(
    200,
    successPage({ title: 'Connected', appName, branding: config.branding }, provider.definition.displayName),
  );
}

const secretField = z.string().min(1).max(4000).optional();
const entryBody = z.object({
  key: keySchema,
  csrf: z.string().min(1).max(128),
  apiKey: secretField,
  token: secretField,
  username: z.string().min(1).max(500).optional(),
  password: z.string().max(4000).optional(),
});

function entryResponse(
  status: number,
  v: Pick<OpenedLink, 'link' | 'config' | 'provider'>,
  form: { key: string; csrf: string; error?: string; username?: string | undefined },
): HttpResponse {
  const appName = v.config.branding.displayName ?? v.config.name;
  const page = entryPage(
    { title: `Connect ${v.provider.definition.displayName}`, appName, branding: v.config.branding },
    {
      provider: v.provider.definition,
      userId: v.link.userId,
      linkId: v.link.id,
      label: v.link.label,
      ...form,
    },
  );
  // The typed secret must not be cached anywhere on the way back.
  const res = html(status, page);
  return { ...res, headers: { ...res.headers, 'cache-control': 'no-store' } };
}
