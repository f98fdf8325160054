import { z } from 'zod';
import type { ExchangeForm } from '../../delegation/exchange/types.js';
import { isProjectId } from '../../delegation/urls.js';
import type { Runtime } from '../../runtime.js';
import { statusOf } from '../../shared/errors.js';
import { named, oauthErrorSchema } from '../responses.js';
import { defineRoute } from '../route.js';
import { oauthFailure, oauthJson } from './authserver-http.js';

const FIELDS = [
  'grant_type',
  'subject_token',
  'subject_token_type',
  'actor_token',
  'actor_token_type',
  'requested_token_type',
  'scope',
  'audience',
  'resource',
] as const;
const MAX_FIELD = 16_384;

/** RFC 6749 §3.2: form-encoded, each parameter at most once; unknown parameters are ignored. */
function formOf(body: unknown): ExchangeForm | string {
  if (!body || typeof body !== 'object') return 'the body must be application/x-www-form-urlencoded';
  const form: ExchangeForm = {};
  for (const field of FIELDS) {
    const value = (body as Record<string, unknown>)[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') return `${field} must appear once`;
    if (value.length > MAX_FIELD) return `${field} is too long`;
    if (value !== '') form[field] = value;
  }
  return form;
}

const tokenExchangeResponse = named(
  'TokenExchangeResponse',
  z.strictObject({
    access_token: z.string(),
    issued_token_type: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int(),
    scope: z.string(),
  }),
  'RFC 8693 §2.2.1: a short-lived Gatehouse token naming the user (sub) and the agents (act).',
);

/**
 * The project's token endpoint: RFC 8693 token exchange (delegation/exchange/). Answers in OAuth's
 * own format (RFC 6749 §5.1 / §5.2), never cached.
 */
export const delegationTokenRoutes = (rt: Runtime) => [
  defineRoute({
    method: 'POST',
    url: '/v1/projects/:projectId/token',
    auth: 'none',
    errorFormat: 'oauth',
    params: z.strictObject({ projectId: z.string().refine(isProjectId, 'not a project id') }),
    operationId: 'exchangeToken',
    responses: {
      200: tokenExchangeResponse,
      400: oauthErrorSchema,
      401: oauthErrorSchema,
      403: oauthErrorSchema,
      404: oauthErrorSchema,
      429: oauthErrorSchema,
      502: oauthErrorSchema,
      503: oauthErrorSchema,
    },
    handler: async ({ params, request }) => {
      const noStore = { 'cache-control': 'no-store' };
      if (!request.headers['content-type']?.startsWith('application/x-www-form-urlencoded'))
        return oauthJson(
          400,
          {
            error: 'invalid_request',
            error_description: 'the body must be application/x-www-form-urlencoded',
          },
          noStore,
        );
      const form = formOf(request.body);
      if (typeof form === 'string')
        return oauthJson(400, { error: 'invalid_request', error_description: form }, noStore);
      const result = await rt.delegation.exchange(params.projectId, form);
      if (!result.ok) {
        const failed = oauthFailure({ ...result.error, status: statusOf(result.error.code) });
        return { ...failed, headers: { ...failed.headers, ...noStore } };
      }
      return oauthJson(200, result.value, noStore);
    },
  }),
];
