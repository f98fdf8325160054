import { readFileSync } from 'node:fs';
import type { TestGatehouse } from '../support/gatehouse.js';

const EXAMPLES = new URL('../../src/policy/examples/', import.meta.url);

/** A shipped example policy file, as a developer would paste it. */
export const example = (name: string): string => readFileSync(new URL(`${name}.cedar`, EXAMPLES), 'utf8');

export interface PolicySetInput {
  name?: string;
  mode?: 'enforce' | 'shadow';
  policies: string;
}

export async function putPolicies(
  gh: TestGatehouse,
  apiKey: string,
  sets: PolicySetInput[],
  userAttributes: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const res = await gh.call('PUT', '/v1/policies', {
    key: apiKey,
    body: {
      sets: sets.map((s, i) => ({
        name: s.name ?? `set${i}`,
        mode: s.mode ?? 'enforce',
        policies: s.policies,
      })),
      userAttributes,
    },
  });
  return { status: res.status, body: res.body as Record<string, unknown>, text: res.text };
}

/** PUT that must succeed. */
export async function setPolicies(
  gh: TestGatehouse,
  apiKey: string,
  sets: PolicySetInput[],
  userAttributes: Record<string, string> = {},
): Promise<void> {
  const res = await putPolicies(gh, apiKey, sets, userAttributes);
  if (res.status !== 200) throw new Error(`PUT /v1/policies: ${res.status} ${res.text}`);
}

export const AGENT = { 'gatehouse-agent-id': 'planner-1' };
export const ALL_SCOPES = ['openid', 'tasks:read', 'tasks:write', 'tasks:delete'];
