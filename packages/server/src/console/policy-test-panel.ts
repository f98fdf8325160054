import type { PolicyIssue } from '../policy/compile.js';
import type { PolicyTestResult } from '../policy/service.js';
import type { Result } from '../shared/result.js';
import { csrfField, escapeHtml, statusBadge } from './layout.js';
import type { ConsoleSession } from './sessions.js';

/** What the operator typed in the test panel, echoed back into the form after a run. */
export interface PolicyTestForm {
  userId: string;
  agentId: string;
  tool: string;
  arguments: string;
  account: string;
  userAttributes: string;
  /** Which editor's draft to test: a set name, or `new` for the "add a set" editor. */
  draftSet: string;
}

export const EMPTY_TEST_FORM: PolicyTestForm = {
  userId: '',
  agentId: '',
  tool: '',
  arguments: '{}',
  account: '',
  userAttributes: '',
  draftSet: '',
};

/** One evaluation the panel shows: against the editor's draft, or against the version in force. */
export interface PolicyTestRun {
  label: string;
  result: Result<PolicyTestResult>;
}

export interface PolicyTestOutcome {
  runs: PolicyTestRun[];
  /** Said above the results: e.g. that the saved text stood in for the draft (scripts off). */
  note?: string | undefined;
  /** A problem with the form itself (bad JSON, a field out of range): nothing was evaluated. */
  formError?: string | undefined;
}

const field = (id: string, label: string, input: string, hint?: string) =>
  `<div><label for="${id}">${escapeHtml(label)}</label>${input}${hint ? `<p class="muted hint" id="${id}-hint">${escapeHtml(hint)}</p>` : ''}</div>`;

const text = (id: string, name: string, value: string, extra = '') =>
  `<input type="text" id="${id}" name="${name}" value="${escapeHtml(value)}"${extra}>`;

const json = (id: string, name: string, value: string) =>
  `<textarea id="${id}" name="${name}" class="json" spellcheck="false" aria-describedby="${id}-hint">${escapeHtml(value)}</textarea>`;

const list = (ids: readonly string[]) =>
  ids.length > 0
    ? ids.map((p) => `<code>${escapeHtml(p)}</code>`).join(', ')
    : '<span class="muted">none</span>';

function runRow(run: PolicyTestRun): string[] {
  if (!run.result.ok) {
    // Only a draft that does not validate has policy issues (line, column); argument issues say it in the message.
    const issues =
      run.result.error.code === 'invalid_policy'
        ? ((run.result.error.details?.issues as PolicyIssue[] | undefined) ?? [])
        : [];
    const where = issues
      .slice(0, 5)
      .map((i) => `<br>set ${escapeHtml(i.set)} line ${i.line}, column ${i.column}: ${escapeHtml(i.message)}`)
      .join('');
    return [
      escapeHtml(run.label),
      statusBadge('error'),
      '',
      `<code>${escapeHtml(run.result.error.code)}</code> ${escapeHtml(run.result.error.message)}${where}`,
      '',
    ];
  }
  const r = run.result.value;
  const shadow = r.shadow
    .map((s) => `<code>${escapeHtml(s.set)}</code>: ${statusBadge(s.effect)} ${list(s.policies)}`)
    .join('<br>');
  return [
    escapeHtml(run.label),
    statusBadge(r.decision),
    list(r.policies),
    r.errors.length > 0 ? list(r.errors) : '<span class="muted">none</span>',
    shadow || '<span class="muted">none</span>',
  ];
}

function results(outcome: PolicyTestOutcome): string {
  if (outcome.formError)
    return `<div class="notice error" role="alert" id="policy-test-result">${escapeHtml(outcome.formError)}</div>`;
  const head = ['Evaluated against', 'Decision', 'Determining policies', 'Errors', 'Shadow sets'];
  return `<div id="policy-test-result" role="status">${outcome.note ? `<p class="muted">${escapeHtml(outcome.note)}</p>` : ''}
<table><caption>Test result</caption><thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>
<tbody>${outcome.runs
    .map(
      (r) =>
        `<tr>${runRow(r)
          .map((c) => `<td>${c}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</tbody></table></div>`;
}

/**
 * The test panel: a hypothetical call (user, agent, tool, arguments, account and user attributes)
 * evaluated by the broker's own policy engine against an editor's draft and the version in force.
 * The draft's text is copied from the chosen editor by console.js when the form is sent; without
 * scripts the saved text of that set is tested, and the result says so.
 */
export function policyTestPanel(
  session: ConsoleSession,
  sets: readonly string[],
  form: PolicyTestForm,
  outcome?: PolicyTestOutcome,
): string {
  const drafts = sets.map((s) => ({ value: s, label: `set ${s}` }));
  if (session.role === 'admin') drafts.push({ value: 'new', label: 'the new set being added' });
  if (drafts.length === 0) drafts.push({ value: '', label: 'no set yet (the version in force only)' });
  const options = drafts
    .map(
      (d) =>
        `<option value="${escapeHtml(d.value)}"${d.value === form.draftSet ? ' selected' : ''}>${escapeHtml(d.label)}</option>`,
    )
    .join('');
  return `<section aria-labelledby="test"><h2 id="test">Test a call</h2>
<p>Evaluates a hypothetical call with the same engine the broker decides calls with: against the draft in an editor above (unsaved text included) and against the version in force.</p>
<form method="post" action="/console/policies/test#test" id="policy-test">${csrfField(session)}
<input type="hidden" name="fromEditor" value="">
<input type="hidden" name="draftMode" value="">
<input type="hidden" name="draftName" value="">
<input type="hidden" name="draftPolicies" value="">
<div class="filters">
${field('test-user', 'User id (principal)', text('test-user', 'userId', form.userId, ' required maxlength="256"'))}
${field('test-agent', 'Agent id (optional)', text('test-agent', 'agentId', form.agentId, ' maxlength="128"'))}
${field('test-tool', 'Action (tool slug)', text('test-tool', 'tool', form.tool, ' required maxlength="200" placeholder="acme.tasks.create"'))}
${field('test-draft', 'Draft from', `<select id="test-draft" name="draftSet">${options}</select>`)}
</div>
${field('test-args', 'Arguments (JSON object)', json('test-args', 'arguments', form.arguments), 'The tool call’s arguments, checked against the tool’s input schema.')}
${field('test-account', 'Resource: account attributes (JSON, optional)', json('test-account', 'account', form.account), 'e.g. {"scopes": ["tasks:read"], "label": "work", "groupId": "team-1"}; the tool’s scopes when empty.')}
${field('test-attrs', 'User attributes (JSON, optional)', json('test-attrs', 'userAttributes', form.userAttributes), 'The values the project declares for users, e.g. {"department": "finance"}.')}
<p><button type="submit">Evaluate</button></p></form>
${outcome ? results(outcome) : ''}</section>`;
}
