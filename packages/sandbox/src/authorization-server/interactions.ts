import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Interaction } from 'oidc-provider';
import { readForm, requestUrl, sendHtml } from '../http/io.js';
import { orderScopes } from '../scopes.js';
import type { UserDirectory } from '../users.js';
import { errors, type Provider } from './oidc-provider.js';
import { consentPage, errorPage, loginPage } from './views.js';

/**
 * The login and consent pages oidc-provider sends the browser to (its "interactions"):
 *   GET  {mount}/interaction/:uid          shows the page for the pending prompt
 *   POST {mount}/interaction/:uid/login    checks username + password
 *   POST {mount}/interaction/:uid/consent  decision=approve|deny
 */
export function interactionRoutes(provider: Provider, users: UserDirectory, mountPath: string) {
  const pattern = new RegExp(`^${mountPath}/interaction/([\\w-]+)(?:/(login|consent))?$`);

  return async function handleInteraction(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const match = pattern.exec(requestUrl(req).pathname);
    if (match === null) return false;
    const [, uid, step] = match;
    const method = req.method ?? 'GET';
    if (!((method === 'GET' && step === undefined) || (method === 'POST' && step !== undefined))) {
      sendHtml(res, 405, errorPage({ error: 'method_not_allowed' }));
      return true;
    }

    let details: Interaction;
    try {
      details = await provider.interactionDetails(req, res);
    } catch (error) {
      if (!(error instanceof errors.SessionNotFound)) throw error;
      sendHtml(
        res,
        400,
        errorPage({ error: 'session_not_found', error_description: 'Start the sign-in again.' }),
      );
      return true;
    }
    const prompt = details.prompt.name;
    if (details.uid !== uid || (step !== undefined && step !== prompt)) {
      sendHtml(res, 400, errorPage({ error: 'invalid_request', error_description: 'Stale sign-in step.' }));
      return true;
    }

    const client = await provider.Client.find(String(details.params.client_id));
    const clientName = client?.clientName ?? String(details.params.client_id);
    const action = `${mountPath}/interaction/${uid}/${prompt}`;

    if (prompt === 'login') {
      if (step === undefined) {
        sendHtml(res, 200, loginPage({ action, clientName }));
        return true;
      }
      const form = await readForm(req);
      const username = form.get('username') ?? '';
      const user = users.authenticate(username, form.get('password') ?? '');
      if (user === undefined) {
        const error = 'Wrong username or password.';
        sendHtml(res, 401, loginPage({ action, clientName, username, error }));
        return true;
      }
      const result = { login: { accountId: user.id } };
      await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
      return true;
    }

    if (prompt === 'consent') {
      const missing = missingGrant(details);
      if (step === undefined) {
        const userName = users.find(details.session?.accountId ?? '')?.name ?? '';
        const scopes = orderScopes([...missing.oidcScopes, ...Object.values(missing.resourceScopes).flat()]);
        sendHtml(res, 200, consentPage({ action, clientName, userName, scopes }));
        return true;
      }
      const form = await readForm(req);
      if (form.get('decision') !== 'approve') {
        const result = { error: 'access_denied', error_description: 'The user denied the request.' };
        await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: false });
        return true;
      }
      const grantId = await saveGrant(provider, details, missing);
      await provider.interactionFinished(
        req,
        res,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
      return true;
    }

    sendHtml(
      res,
      400,
      errorPage({ error: 'invalid_request', error_description: `Unsupported prompt ${prompt}.` }),
    );
    return true;
  };
}

interface MissingGrant {
  oidcScopes: string[];
  oidcClaims: string[];
  resourceScopes: Record<string, string[]>;
}

/** What the consent prompt asks for beyond the existing grant (oidc-provider's prompt details). */
function missingGrant(details: Interaction): MissingGrant {
  const d = details.prompt.details;
  const strings = (v: unknown) =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  const resourceScopes: Record<string, string[]> = {};
  if (typeof d.missingResourceScopes === 'object' && d.missingResourceScopes !== null) {
    for (const [indicator, scopes] of Object.entries(d.missingResourceScopes)) {
      resourceScopes[indicator] = strings(scopes);
    }
  }
  return {
    oidcScopes: strings(d.missingOIDCScope),
    oidcClaims: strings(d.missingOIDCClaims),
    resourceScopes,
  };
}

async function saveGrant(provider: Provider, details: Interaction, missing: MissingGrant): Promise<string> {
  const existing = details.grantId === undefined ? undefined : await provider.Grant.find(details.grantId);
  const grant =
    existing ??
    new provider.Grant({ accountId: details.session?.accountId, clientId: String(details.params.client_id) });
  if (missing.oidcScopes.length > 0) grant.addOIDCScope(missing.oidcScopes.join(' '));
  if (missing.oidcClaims.length > 0) grant.addOIDCClaims(missing.oidcClaims);
  for (const [indicator, scopes] of Object.entries(missing.resourceScopes)) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}
