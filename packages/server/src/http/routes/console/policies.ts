import { z } from 'zod';
import { diffLines } from '../../../console/diff.js';
import { consolePage, csrfField, escapeHtml, type Notice, table, when } from '../../../console/layout.js';
import { EMPTY_TEST_FORM, policyTestPanel } from '../../../console/policy-test-panel.js';
import { roleAllows } from '../../../console/roles.js';
import { type ConsoleSession, principalOf } from '../../../console/sessions.js';
import type { PolicyDocument, PolicyIssue, PolicyMode } from '../../../policy/compile.js';
import type { Runtime } from '../../../runtime.js';
import { consoleActionRoute, consoleHtml, consolePageRoute, notFoundPage, seeOther } from './guard.js';

export const SET_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export interface Draft {
  set: string;
  mode: PolicyMode;
  policies: string;
  issues: PolicyIssue[];
  message: string;
}

const modeSelect = (id: string, mode: PolicyMode) =>
  `<label for="${id}">Mode</label><select id="${id}" name="mode">${(['enforce', 'shadow'] as const)
    .map(
      (m) =>
        `<option value="${m}"${m === mode ? ' selected' : ''}>${m === 'enforce' ? 'enforce (decides calls)' : 'shadow (logged only)'}</option>`,
    )
    .join('')}</select>`;

function issuesList(draft: Draft, editorId: string): string {
  return `<div class="notice error" role="alert"><p>${escapeHtml(draft.message)}</p><ul class="issues">${draft.issues
    .map(
      (i) =>
        `<li><a href="#${editorId}" data-editor="${editorId}" data-line="${i.line}" data-column="${i.column}">line ${i.line}, column ${i.column}</a>: ${escapeHtml(i.message)}${i.help ? ` <span class="muted">(${escapeHtml(i.help)})</span>` : ''}</li>`,
    )
    .join('')}</ul></div>`;
}

function setEditor(
  session: ConsoleSession,
  version: number,
  set: { name: string; mode: PolicyMode; policies: string },
  isNew: boolean,
  draft: Draft | undefined,
): string {
  const canEdit = roleAllows(session.role, 'admin');
  const key = isNew ? 'new' : set.name;
  const editorId = `policies-${key}`;
  const mine = draft && draft.set === set.name ? draft : undefined;
  // A draft kept after a test run has no message: its text is shown, without an error list.
  const invalid = mine !== undefined && mine.message !== '';
  const text = mine ? mine.policies : set.policies;
  const mode = mine ? mine.mode : set.mode;
  const nameField = isNew
    ? `<label for="set-new">Set name</label><input type="text" id="set-new" name="set" value="${escapeHtml(mine?.set ?? '')}" pattern="[a-z0-9][a-z0-9_\\-]{0,62}" required>`
    : `<input type="hidden" name="set" value="${escapeHtml(set.name)}">`;
  return `<section aria-labelledby="h-${escapeHtml(key)}"><h2 id="h-${escapeHtml(key)}">${isNew ? 'Add a policy set' : `Set <code>${escapeHtml(set.name)}</code> (${escapeHtml(set.mode)})`}</h2>
${mine && invalid ? issuesList(mine, editorId) : ''}
<form method="post" action="/console/policies">${csrfField(session)}
<input type="hidden" name="baseVersion" value="${version}">${nameField}
${modeSelect(`mode-${escapeHtml(key)}`, mode)}
<label for="${editorId}">Cedar policies${isNew ? '' : ` of set ${escapeHtml(set.name)}`}</label>
<textarea id="${editorId}" name="policies" spellcheck="false"${canEdit ? '' : ' readonly'}${invalid ? ' aria-invalid="true"' : ''}>${escapeHtml(text)}</textarea>
${canEdit ? '<p><button type="submit">Save as a new version</button></p>' : '<p class="muted">Only admins change policies.</p>'}</form></section>`;
}

/** The editor page; `testPanel` replaces the empty test panel (with a run's form and results). */
export async function editorPage(
  rt: Runtime,
  session: ConsoleSession,
  draft?: Draft,
  notice?: Notice,
  testPanel?: string,
): Promise<string> {
  const current = await rt.policies.current(session.projectId);
  const version = current?.version ?? 0;
  const sets = current?.document.sets ?? [];
  const history = await rt.policies.versions(session.projectId, 20);
  const isNewDraft = draft !== undefined && !sets.some((s) => s.name === draft.set);
  const body = `<p>Version in force: <strong>${version}</strong>${current ? ` (saved ${escapeHtml(when(current.createdAt))} by ${escapeHtml(current.createdBy ?? 'unknown')})` : ''}. Every save is validated against the project's Cedar schema and becomes a new version.</p>
${sets.map((s) => setEditor(session, version, s, false, draft)).join('')}
${roleAllows(session.role, 'admin') ? setEditor(session, version, { name: isNewDraft ? draft.set : '', mode: 'shadow', policies: '' }, true, isNewDraft ? draft : undefined) : ''}
${
  testPanel ??
  (roleAllows(session.role, 'operator')
    ? policyTestPanel(
        session,
        sets.map((s) => s.name),
        EMPTY_TEST_FORM,
      )
    : '<p class="muted">Operators and admins can test a call against the policies here.</p>')
}
<h2 id="history">History</h2>
${table(
  'Policy versions, newest first',
  ['Version', 'Saved', 'By', 'Sets'],
  history.map((v) => [
    `<a href="/console/policies/versions/${v.version}">${v.version}</a>`,
    escapeHtml(when(v.createdAt)),
    escapeHtml(v.createdBy ?? ''),
    v.document.sets.map((s) => `<code>${escapeHtml(s.name)}</code> ${escapeHtml(s.mode)}`).join(', '),
  ]),
  'No policies were written yet: every call is allowed by default policy.',
)}`;
  return consolePage('Policies', body, session, '/console/policies', notice);
}

/** The policy editor: per-set Cedar text, enforce or shadow, validation at line and column, history. */
export const consolePolicyRoutes = (rt: Runtime) => [
  consolePageRoute(rt, {
    url: '/console/policies',
    operationId: 'consolePolicies',
    summary: 'The policy editor and its version history',
    query: z.object({ saved: z.coerce.number().int().min(1).max(1_000_000_000).optional() }),
    handler: async ({ session, query }) =>
      consoleHtml(
        200,
        await editorPage(
          rt,
          session,
          undefined,
          query.saved ? { kind: 'ok', text: `Saved version ${query.saved}.` } : undefined,
        ),
      ),
  }),
  consolePageRoute(rt, {
    url: '/console/policies/versions/:version',
    operationId: 'consolePolicyVersion',
    summary: 'One policy version, read only',
    params: z.strictObject({ version: z.coerce.number().int().min(1).max(1_000_000_000) }),
    handler: async ({ session, params }) => {
      const v = await rt.policies.version(session.projectId, params.version);
      if (!v) return notFoundPage(session, `Policy version ${params.version}`);
      const previous =
        v.version > 1 ? await rt.policies.version(session.projectId, v.version - 1) : undefined;
      const before = new Map((previous?.document.sets ?? []).map((s) => [s.name, s]));
      const names = [...new Set([...v.document.sets.map((s) => s.name), ...before.keys()])];
      const sets = names
        .map((name) => {
          const now = v.document.sets.find((s) => s.name === name);
          const was = before.get(name);
          const mode = now ? now.mode : 'removed';
          const modeChange = was && now && was.mode !== now.mode ? ` (was ${escapeHtml(was.mode)})` : '';
          const lines = diffLines(was?.policies ?? '', now?.policies ?? '')
            .map(
              (l) =>
                `<span class="${l.op === '+' ? 'ins' : l.op === '-' ? 'del' : 'same'}">${l.op} ${escapeHtml(l.text)}</span>`,
            )
            .join('\n');
          return `<h2>Set <code>${escapeHtml(name)}</code> (${escapeHtml(mode)}${modeChange})</h2><pre class="diff" aria-label="Changes to set ${escapeHtml(name)} against version ${v.version - 1}">${lines}</pre>`;
        })
        .join('');
      return consoleHtml(
        200,
        consolePage(
          `Policy version ${v.version}`,
          `<p><a href="/console/policies">Back to the editor</a> · saved ${escapeHtml(when(v.createdAt))} by ${escapeHtml(v.createdBy ?? 'unknown')}${previous ? ` · lines marked + were added and - removed since version ${previous.version}` : ''}</p>${sets || '<p class="muted">No sets.</p>'}`,
          session,
          '/console/policies',
        ),
      );
    },
  }),
  consoleActionRoute(rt, {
    url: '/console/policies',
    operationId: 'consoleSavePolicies',
    summary: 'Saves one policy set as a new version of the document',
    role: 'admin',
    body: z.object({
      csrf: z.string().max(100),
      baseVersion: z.coerce.number().int().min(0).max(1_000_000_000),
      set: z.string().max(64),
      mode: z.enum(['enforce', 'shadow']),
      policies: z.string().max(200_000),
    }),
    handler: async ({ session, body }) =>
      rt.db.atomically(async () => {
        const policies = body.policies.replace(/\r\n/g, '\n');
        const reject = async (status: number, message: string, issues: PolicyIssue[] = []) =>
          consoleHtml(
            status,
            await editorPage(rt, session, { set: body.set, mode: body.mode, policies, issues, message }),
          );
        if (!SET_NAME.test(body.set))
          return reject(400, 'A set name is a short lowercase name (letters, digits, - and _).');
        const current = await rt.policies.current(session.projectId);
        if ((current?.version ?? 0) !== body.baseVersion)
          return reject(
            409,
            `Version ${current?.version ?? 0} was saved since you opened the editor; your text is kept below.`,
          );
        const sets = [...(current?.document.sets ?? [])];
        const at = sets.findIndex((s) => s.name === body.set);
        const next = { name: body.set, mode: body.mode, policies };
        if (at >= 0) sets[at] = next;
        else sets.push(next);
        const doc: PolicyDocument = { sets, userAttributes: current?.document.userAttributes ?? {} };
        // The same governed write as PUT /v1/policies: Cedar validation, a new version, the audit row.
        const principal = principalOf(session);
        const saved = await rt.policies.put(session.projectId, doc, principal.apiKeyId);
        if (!saved.ok) {
          const issues = (saved.error.details?.issues as PolicyIssue[] | undefined) ?? [];
          return reject(
            400,
            saved.error.message,
            issues.filter((i) => i.set === body.set),
          );
        }
        await rt.audit.admin(principal, 'admin.policies.updated', {
          version: saved.value.version.version,
          sets: saved.value.version.document.sets.map((s) => ({ name: s.name, mode: s.mode })),
          via: 'console',
          operator: session.operatorName,
        });
        return seeOther(`/console/policies?saved=${saved.value.version.version}`);
      }),
  }),
];
