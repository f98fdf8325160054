import type { Caller } from './bearer.js';
import { type ApiReply, emptyReply, errorReply, jsonReply } from './reply.js';
import { parse, protectedRoute, type Route } from './route.js';
import { createTaskBody, listTasksQuery, patchTaskBody } from './schemas.js';
import type { TaskError, TaskPatch, TaskStore, Viewer } from './task-store.js';

/** The Acme Tasks resource routes; domain decisions live in TaskStore. */
export function taskRoutes(store: TaskStore): Route[] {
  return [
    protectedRoute('GET', /^\/me$/, null, (_ctx, { user }) =>
      jsonReply(200, { id: user.id, name: user.name, email: user.email, team: user.team }),
    ),

    protectedRoute('GET', /^\/tasks$/, 'tasks:read', (ctx, caller) => {
      const query = parse(listTasksQuery, Object.fromEntries(ctx.url.searchParams));
      if (!query.ok) return query.reply;
      const listed = store.list(viewer(caller), query.value);
      return listed.ok ? jsonReply(200, listed.value) : taskError(listed.error);
    }),

    protectedRoute('GET', /^\/tasks\/([^/]+)$/, 'tasks:read', (ctx, caller) => {
      const found = store.get(viewer(caller), ctx.params[0] ?? '');
      return found.ok ? jsonReply(200, found.value) : taskError(found.error);
    }),

    protectedRoute('POST', /^\/tasks$/, 'tasks:write', async (ctx, caller) => {
      const json = await ctx.readJson();
      if (!json.ok) return json.reply;
      const input = parse(createTaskBody, json.value);
      if (!input.ok) return input.reply;
      return jsonReply(201, store.create(viewer(caller), input.value));
    }),

    protectedRoute('PATCH', /^\/tasks\/([^/]+)$/, 'tasks:write', async (ctx, caller) => {
      const json = await ctx.readJson();
      if (!json.ok) return json.reply;
      const input = parse(patchTaskBody, json.value);
      if (!input.ok) return input.reply;
      const patch: TaskPatch = {};
      for (const [key, value] of Object.entries(input.value)) {
        if (value !== undefined) Object.assign(patch, { [key]: value });
      }
      const updated = store.update(viewer(caller), ctx.params[0] ?? '', patch);
      return updated.ok ? jsonReply(200, updated.value) : taskError(updated.error);
    }),

    protectedRoute('DELETE', /^\/tasks\/([^/]+)$/, 'tasks:delete', (ctx, caller) => {
      const deleted = store.delete(viewer(caller), ctx.params[0] ?? '');
      return deleted.ok ? emptyReply(204) : taskError(deleted.error);
    }),
  ];
}

function viewer({ user }: Caller): Viewer {
  return { id: user.id, team: user.team };
}

/** The one mapping from task errors to HTTP. */
function taskError(error: TaskError): ApiReply {
  switch (error) {
    case 'not_found':
      return errorReply(404, 'not_found', 'no such task');
    case 'not_owner':
      return errorReply(403, 'forbidden', 'only the owner of a task may change or delete it');
    case 'invalid_cursor':
      return errorReply(400, 'invalid_request', 'the cursor is not valid');
  }
}
