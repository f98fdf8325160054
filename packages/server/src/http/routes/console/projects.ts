import { z } from 'zod';
import {
  consolePage,
  csrfField,
  escapeHtml,
  type Notice,
  statusBadge,
  table,
  when,
} from '../../../console/layout.js';
import { roleAllows } from '../../../console/roles.js';
import type { ConsoleSignIn } from '../../../console/sessions.js';
import { createProject } from '../../../projects/create-project.js';
import type { Project } from '../../../projects/projects.js';
import type { Runtime } from '../../../runtime.js';
import { cursorSchema } from '../../../store/pagination.js';
import {
  consoleActionRoute,
  consoleHtml,
  consolePageRoute,
  seeOther,
  sessionCookieName,
  setSessionCookie,
} from './guard.js';

const PAGE_SIZE = 50;

/** The button that opens a project: a POST, so the session's binding changes only with its CSRF token. */
const openForm = (session: ConsoleSignIn, p: Project, text = 'Open', name = `Open project ${p.name}`) =>
  `<form method="post" action="/console/projects/open" class="inline">${csrfField(session)}
<input type="hidden" name="projectId" value="${escapeHtml(p.id)}"><button type="submit" aria-label="${escapeHtml(name)}">${escapeHtml(text)}</button></form>`;

async function projectsPage(
  rt: Runtime,
  session: ConsoleSignIn,
  cursor: string | undefined,
  created?: { project: Project; secret: string },
  notice?: Notice,
) {
  const page = await rt.projects.list({ limit: PAGE_SIZE, cursor });
  const rows = page.items.map((p) => [
    `<strong>${escapeHtml(p.name)}</strong>`,
    `<code>${escapeHtml(p.id)}</code>`,
    escapeHtml(when(p.createdAt)),
    p.id === session.projectId ? statusBadge('open') : openForm(session, p),
  ]);
  // The first admin key is shown once, in this answer only (never stored, never in a URL; every
  // answer is no-store), as the keys page shows a new key.
  const shown = created
    ? `<div class="notice ok" role="status"><p>Created the project <strong>${escapeHtml(created.project.name)}</strong> (<code>${escapeHtml(created.project.id)}</code>) and its first admin API key. Copy the key now: it is not shown again.</p>
<label for="new-key">First admin API key</label><input type="text" id="new-key" readonly value="${escapeHtml(created.secret)}" size="70">
<p>${openForm(session, created.project, 'Open it now', `Open it now: ${created.project.name}`)}</p></div>`
    : '';
  const next = page.nextCursor
    ? `<p><a href="/console/projects?cursor=${encodeURIComponent(page.nextCursor)}">Older projects</a></p>`
    : '';
  const form = roleAllows(session.role, 'admin')
    ? `<h2>Create a project</h2><form method="post" action="/console/projects" class="filters">${csrfField(session)}
<div><label for="project-name">Name</label><input type="text" id="project-name" name="name" required maxlength="100"></div>
<button type="submit">Create project</button></form>`
    : '';
  return consolePage(
    'Projects',
    `${shown}<p>Projects are this instance's tenants. Opening one binds this session to it; the pages then show that project only.</p>
${table('Projects, newest first', ['Project', 'Id', 'Created', 'Session'], rows, 'No projects yet.')}${next}${form}`,
    session,
    '/console/projects',
    notice,
  );
}

/**
 * The instance's projects, for a session opened with the admin token only (`scope: 'instance'`):
 * list, create (as POST /v1/admin/projects: a project and its first admin key), and open one.
 */
export const consoleProjectRoutes = (rt: Runtime) => [
  consolePageRoute(rt, {
    url: '/console/projects',
    operationId: 'consoleProjects',
    summary: "The instance's projects (admin token sessions only)",
    scope: 'instance',
    query: z.object({ cursor: cursorSchema.optional() }),
    handler: async ({ session, query }) => consoleHtml(200, await projectsPage(rt, session, query.cursor)),
  }),
  consoleActionRoute(rt, {
    url: '/console/projects',
    operationId: 'consoleCreateProject',
    summary: 'Creates a project and its first admin API key (admin token sessions only)',
    role: 'admin',
    scope: 'instance',
    body: z.object({ csrf: z.string().max(100), name: z.string().trim().min(1).max(100) }),
    handler: async ({ session, body }) => {
      const { project, secret } = await createProject(rt, body.name, `console:${session.operator}`, {
        via: 'console',
        operator: session.operatorName,
      });
      return consoleHtml(200, await projectsPage(rt, session, undefined, { project, secret }));
    },
  }),
  consoleActionRoute(rt, {
    url: '/console/projects/open',
    operationId: 'consoleOpenProject',
    summary: 'Binds the session to another project (admin token sessions only)',
    role: 'viewer',
    scope: 'instance',
    body: z.object({ csrf: z.string().max(100), projectId: z.string().trim().min(1).max(64) }),
    handler: async ({ session, body, request, reply }) => {
      if (!(await rt.projects.get(body.projectId)))
        return consoleHtml(
          404,
          await projectsPage(rt, session, undefined, undefined, {
            kind: 'error',
            text: 'No such project.',
          }),
        );
      // A new session (new cookie, new CSRF token, same expiry) replaces this one: nothing issued
      // under the old binding stays valid.
      const { token, session: reopened } = await rt.db.atomically(() =>
        rt.consoleSessions.reopen(request.cookies[sessionCookieName(rt)]!, session, body.projectId),
      );
      setSessionCookie(rt, reply, token, Math.ceil((reopened.expiresAt.getTime() - Date.now()) / 1000));
      return seeOther('/console/users');
    },
  }),
];
