import { z } from 'zod';
import { OidcLogin, type OidcSettings } from '../../../authserver/login/oidc.js';
import { CONSOLE_SESSION_TTL_MS } from '../../../console/sessions.js';
import type { Runtime } from '../../../runtime.js';
import { randomToken } from '../../../shared/ids.js';
import { pageResponses } from '../../responses.js';
import { defineRoute } from '../../route.js';
import { seeOther, setSessionCookie } from './guard.js';
import { issuePreCsrf, PRE_CSRF, same, signInPage } from './sign-in.js';

// The sign-in attempt (state, nonce, PKCE verifier, the project asked for), bound to this browser.
const ATTEMPT = 'gatehouse_console_sso';
const attemptSchema = z.strictObject({
  state: z.string().length(43),
  nonce: z.string().length(43),
  codeVerifier: z.string().length(64),
  projectId: z.string().max(64).nullable(),
});

/**
 * Single sign-on for operators at the instance's OpenID Connect identity provider
 * (`GATEHOUSE_CONSOLE_OIDC_*`), with the same oauth4webapi client as the MCP servers' sign-in
 * (authserver/login/oidc.ts). The identity gets in only where an admin granted it a role
 * (console_operators); the session then acts with that role.
 */
export const consoleSsoRoutes = (rt: Runtime) => {
  const oidc = new OidcLogin(rt.outbound, rt.config.allowInternalProviders);
  const settings = (): OidcSettings | undefined => {
    const c = rt.config.consoleOidc;
    return c
      ? {
          issuer: c.issuer,
          clientId: c.clientId,
          clientSecret: c.clientSecret,
          scopes: ['openid', 'email', 'profile'],
          userClaim: c.userClaim,
          redirectUri: `${rt.config.publicUrl}/console/sso/callback`,
        }
      : undefined;
  };
  return [
    defineRoute({
      method: 'POST',
      url: '/console/sso',
      auth: 'none',
      operationId: 'consoleSsoStart',
      summary: 'Starts an operator sign-in at the identity provider',
      body: z.object({ csrf: z.string().max(100), projectId: z.string().max(64).optional() }),
      responses: pageResponses([403, 404, 503], true),
      handler: async ({ body, request, reply }) => {
        const s = settings();
        const cookie = request.cookies[PRE_CSRF];
        if (!s) return signInPage(rt, issuePreCsrf(reply), 404, 'Single sign-on is not configured.');
        if (!cookie || !same(cookie, body.csrf))
          return signInPage(rt, issuePreCsrf(reply), 403, 'This form expired. Try again.');
        const attempt = {
          state: randomToken(43),
          nonce: randomToken(43),
          codeVerifier: randomToken(64),
          projectId: body.projectId?.trim() || null,
        };
        const url = await oidc.authorizationUrl(s, attempt);
        if (!url.ok) return signInPage(rt, issuePreCsrf(reply), 503, url.error.message);
        reply.setCookie(ATTEMPT, JSON.stringify(attempt), {
          path: '/console/sso',
          httpOnly: true,
          // Lax: the identity provider's redirect back is a top-level GET.
          sameSite: 'lax',
          secure: rt.config.publicUrl.startsWith('https://'),
          maxAge: 600,
        });
        return seeOther(url.value);
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/console/sso/callback',
      auth: 'none',
      operationId: 'consoleSsoCallback',
      summary: "The identity provider's answer: a console session for a granted operator",
      query: z.record(z.string(), z.string().max(4096)),
      responses: pageResponses([400, 403, 404], true),
      handler: async ({ request, reply }) => {
        const s = settings();
        const fresh = () => issuePreCsrf(reply);
        if (!s) return signInPage(rt, fresh(), 404, 'Single sign-on is not configured.');
        let attempt: z.infer<typeof attemptSchema> | undefined;
        try {
          const parsed = attemptSchema.safeParse(JSON.parse(request.cookies[ATTEMPT] ?? 'null'));
          attempt = parsed.success ? parsed.data : undefined;
        } catch {}
        reply.clearCookie(ATTEMPT, { path: '/console/sso' });
        if (!attempt)
          return signInPage(rt, fresh(), 400, 'This sign-in was not started in this browser. Try again.');
        const callback = new URL(request.url, rt.config.publicUrl);
        const user = await oidc.finish(s, callback, attempt);
        if (!user.ok) return signInPage(rt, fresh(), 403, user.error.message);
        const grants = (await rt.consoleOperators.of(s.issuer, user.value)).filter(
          (g) => attempt.projectId === null || g.projectId === attempt.projectId,
        );
        if (grants.length === 0)
          return signInPage(
            rt,
            fresh(),
            403,
            `${user.value} is not an operator of ${attempt.projectId ?? 'any project'} here.`,
          );
        if (grants.length > 1)
          return signInPage(rt, fresh(), 403, 'You operate several projects: name the project to open.');
        const grant = grants[0]!;
        const { token } = await rt.consoleSessions.open({
          projectId: grant.projectId,
          operator: `oidc:${user.value}`,
          operatorName: user.value,
          method: 'oidc',
          apiKeyId: null,
          role: grant.role,
        });
        setSessionCookie(rt, reply, token, CONSOLE_SESSION_TTL_MS / 1000);
        return seeOther('/console/users');
      },
    }),
  ];
};
