import type {
  Limits,
  LimitsConfig,
  PolicyDocument,
  PolicyIssue,
  PolicyTestRequest,
  PolicyTestResult,
  PolicyVersion,
  Usage,
  UsageGroup,
} from './admin-types.js';
import type { HttpClient } from './http.js';
import { paginate, seg } from './pagination.js';
import type { Page } from './types.js';

/** `gatehouse.policies` (admin key): the project's Cedar policies, versioned. */
export function policiesApi(http: HttpClient) {
  const versions = (q: { cursor?: string; limit?: number } = {}) =>
    http.request<Page<PolicyVersion>>('GET', '/v1/policies/versions', { query: q });
  return {
    /** The current version (version 0 and no sets before any were written). */
    get: () => http.request<PolicyVersion>('GET', '/v1/policies'),
    /** Replaces the policies with a new version; `warnings` are non-fatal validation findings. */
    put: (doc: PolicyDocument) =>
      http.request<PolicyVersion & { warnings: PolicyIssue[] }>('PUT', '/v1/policies', { body: doc }),
    versions,
    iterateVersions: (q: { limit?: number } = {}) => paginate(versions, q),
    version: (n: number) => http.request<PolicyVersion>('GET', `/v1/policies/versions/${seg(n)}`),
    /** The Cedar schema the policies are checked against (text). */
    schema: () => http.text('GET', '/v1/policies/schema'),
    /** What the current policies (or `policies`, a draft) decide for a hypothetical call. */
    test: (request: PolicyTestRequest, policies?: PolicyDocument) =>
      http.request<PolicyTestResult>('POST', '/v1/policies/test', {
        body: policies === undefined ? { request } : { request, policies },
      }),
  };
}

/** `gatehouse.limits`: rate limits and monthly budgets (writes need an admin key). */
export function limitsApi(http: HttpClient) {
  return {
    get: () => http.request<Limits>('GET', '/v1/limits'),
    put: (config: LimitsConfig) => http.request<Limits>('PUT', '/v1/limits', { body: config }),
  };
}

/** `gatehouse.usage(...)`: calls and cost units per user, agent or tool since a date (default: this month). */
export const usageApi =
  (http: HttpClient) =>
  (q: { groupBy?: UsageGroup; since?: Date | string } = {}) =>
    http.request<Usage>('GET', '/v1/usage', {
      query: { groupBy: q.groupBy, since: q.since instanceof Date ? q.since.toISOString() : q.since },
    });
