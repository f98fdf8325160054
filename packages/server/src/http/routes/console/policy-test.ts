import { z } from 'zod';
import {
  type PolicyTestForm,
  type PolicyTestOutcome,
  type PolicyTestRun,
  policyTestPanel,
} from '../../../console/policy-test-panel.js';
import type { PolicyDocument, PolicyIssue, PolicyMode } from '../../../policy/compile.js';
import type { PolicyTestInput } from '../../../policy/service.js';
import type { Runtime } from '../../../runtime.js';
import { fail, ok, type Result } from '../../../shared/result.js';
import { testRequestSchema } from '../policies.js';
import { consoleActionRoute, consoleHtml } from './guard.js';
import { type Draft, editorPage, SET_NAME } from './policies.js';

// Every field but the CSRF token may be missing: the role and CSRF checks answer before validation
// of the call (a viewer's post is a 403, not a 400), and the handler reports what is wrong.
const testForm = z.object({
  csrf: z.string().max(100),
  userId: z.string().max(256).default(''),
  agentId: z.string().max(128).default(''),
  tool: z.string().max(200).default(''),
  arguments: z.string().max(100_000).default(''),
  account: z.string().max(10_000).default(''),
  userAttributes: z.string().max(10_000).default(''),
  draftSet: z.string().max(64).default(''),
  /** Set to 1 by console.js when it copied the chosen editor's text into the fields below. */
  fromEditor: z.string().max(1).default(''),
  draftName: z.string().max(64).default(''),
  draftMode: z.string().max(16).default(''),
  draftPolicies: z.string().max(200_000).default(''),
});
type TestForm = z.infer<typeof testForm>;

function parseJson(label: string, raw: string, empty: unknown): Result<unknown> {
  if (raw.trim() === '') return ok(empty);
  try {
    return ok(JSON.parse(raw));
  } catch (err) {
    return fail('invalid_request', `${label}: not valid JSON (${(err as Error).message})`);
  }
}

/** The form's fields as the `request` of POST /v1/policies/test, validated by that route's schema. */
function requestOf(body: TestForm): Result<PolicyTestInput> {
  const args = parseJson('Arguments', body.arguments, {});
  if (!args.ok) return args;
  const account = parseJson('Account attributes', body.account, undefined);
  if (!account.ok) return account;
  const attrs = parseJson('User attributes', body.userAttributes, undefined);
  if (!attrs.ok) return attrs;
  const parsed = testRequestSchema.safeParse({
    userId: body.userId.trim(),
    ...(body.agentId.trim() ? { agentId: body.agentId.trim() } : {}),
    tool: body.tool.trim(),
    arguments: args.value,
    ...(account.value === undefined ? {} : { account: account.value }),
    ...(attrs.value === undefined ? {} : { userAttributes: attrs.value }),
  });
  if (parsed.success) return ok(parsed.data);
  const names: Record<string, string> = {
    userId: 'User id',
    agentId: 'Agent id',
    tool: 'Action',
    arguments: 'Arguments',
    account: 'Account attributes',
    userAttributes: 'User attributes',
  };
  const problems = parsed.error.issues.slice(0, 3).map((i) => {
    const [head, ...rest] = i.path.map(String);
    return `${names[head ?? ''] ?? head}${rest.length ? `.${rest.join('.')}` : ''}: ${i.message}`;
  });
  return fail('invalid_request', problems.join('; '));
}

/** Which set the draft is, its text and mode: the editor's (copied by console.js) or the saved one. */
function draftOf(
  body: TestForm,
  saved: PolicyDocument | undefined,
): Result<{ set: string; mode: PolicyMode; policies: string; fromEditor: boolean } | undefined> {
  if (body.draftSet === '') return ok(undefined);
  const set = body.draftSet === 'new' ? body.draftName.trim() : body.draftSet;
  if (!SET_NAME.test(set))
    return fail(
      'invalid_request',
      'Name the new set (lowercase letters, digits, - and _) before testing it.',
    );
  const existing = saved?.sets.find((s) => s.name === set);
  if (body.fromEditor === '1') {
    const mode = body.draftMode === 'enforce' || body.draftMode === 'shadow' ? body.draftMode : undefined;
    return ok({
      set,
      mode: mode ?? existing?.mode ?? 'enforce',
      policies: body.draftPolicies.replace(/\r\n/g, '\n'),
      fromEditor: true,
    });
  }
  if (!existing) return fail('invalid_request', `There is no saved set ${set} to test without scripts.`);
  return ok({ set, mode: existing.mode, policies: existing.policies, fromEditor: false });
}

/**
 * The policy test panel's run: one hypothetical call evaluated by `PolicyService.test` (the broker's
 * engine, as POST /v1/policies/test) against the chosen editor's draft and the version in force. A
 * dry run changes nothing; it needs the operator role like the other console actions.
 */
export const consolePolicyTestRoutes = (rt: Runtime) => [
  consoleActionRoute(rt, {
    url: '/console/policies/test',
    operationId: 'consoleTestPolicies',
    summary: 'Evaluates a hypothetical call against a draft and the policies in force',
    role: 'operator',
    body: testForm,
    handler: async ({ session, body }) => {
      const form: PolicyTestForm = {
        userId: body.userId,
        agentId: body.agentId,
        tool: body.tool,
        arguments: body.arguments,
        account: body.account,
        userAttributes: body.userAttributes,
        draftSet: body.draftSet,
      };
      const current = await rt.policies.current(session.projectId);
      const setNames = (current?.document.sets ?? []).map((s) => s.name);
      const answer = async (status: number, outcome: PolicyTestOutcome, draft?: Draft) =>
        consoleHtml(
          status,
          await editorPage(rt, session, draft, undefined, policyTestPanel(session, setNames, form, outcome)),
        );
      const draft = draftOf(body, current?.document);
      if (!draft.ok) return answer(400, { runs: [], formError: draft.error.message });
      const d = draft.value;
      // The editor keeps the draft whatever happens below; one that does not validate shows why there.
      let kept: Draft | undefined = d && {
        set: d.set,
        mode: d.mode,
        policies: d.policies,
        issues: [],
        message: '',
      };
      const request = requestOf(body);
      if (!request.ok) return answer(400, { runs: [], formError: request.error.message }, kept);
      const runs: PolicyTestRun[] = [];
      if (d) {
        const sets = (current?.document.sets ?? []).filter((s) => s.name !== d.set);
        const doc: PolicyDocument = {
          sets: [...sets, { name: d.set, mode: d.mode, policies: d.policies }],
          userAttributes: current?.document.userAttributes ?? {},
        };
        const result = await rt.policies.test(session.projectId, request.value, doc);
        runs.push({ label: `Draft of set ${d.set} (${d.mode}${d.fromEditor ? ', unsaved' : ''})`, result });
        if (!result.ok && result.error.code === 'invalid_policy') {
          const issues = (result.error.details?.issues as PolicyIssue[] | undefined) ?? [];
          kept = {
            set: d.set,
            mode: d.mode,
            policies: d.policies,
            issues: issues.filter((i) => i.set === d.set),
            message: result.error.message,
          };
        }
      }
      runs.push({
        label: current ? `Version ${current.version} in force` : 'No policies written (everything allowed)',
        result: await rt.policies.test(session.projectId, request.value),
      });
      const note =
        d && !d.fromEditor
          ? `Scripts did not run: the saved text of set ${d.set} stood in for the draft.`
          : undefined;
      return answer(200, { runs, note }, kept);
    },
  }),
];
