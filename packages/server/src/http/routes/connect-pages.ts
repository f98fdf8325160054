import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { FlowFailure } from '../../connect/hosted-flow.js';
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
  const status = failure.code === 'link_not_found' || failure.code === 'state_unknown' ? 404 : 400;
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
    handler: async ({ params, query, request }) => {
      const opened = await rt.hostedFlow.open(params.id, query.key, request.cookies);
      if (!opened.ok) return failurePage(rt, opened.error);
      const { link, config, provider } = opened.value;
      const appName = config.branding.displayName ?? config.name;
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
    method: 'GET',
    url: '/oauth/callback',
    auth: 'none',
    operationId: 'oauthCallback',
    responses: pageResponses([400, 404], true),
    handler: async ({ request }) => {
      const callbackUrl = new URL(request.url, rt.config.publicUrl);
      const result = await rt.hostedFlow.callback(callbackUrl, request.cookies[cookieName(rt)]);
      if (!result.ok) return failurePage(rt, result.error);
      // User verification: the app confirms its signed-in user before anything is saved.
      if ('verifyUrl' in result.value) return { status: 303, headers: { location: result.value.verifyUrl } };
      const { link, account } = result.value;
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
        successPage(
          { title: 'Connected', appName, branding: config.branding },
          provider.definition.displayName,
        ),
      );
    },
  }),
];
