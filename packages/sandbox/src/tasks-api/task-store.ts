import { randomBytes } from 'node:crypto';
import type { SandboxUser } from '../users.js';
import { seedTasks } from './seed.js';

export type TaskStatus = 'open' | 'done';
export type TaskVisibility = 'private' | 'team';

export interface Task {
  id: string;
  title: string;
  notes: string;
  status: TaskStatus;
  visibility: TaskVisibility;
  ownerId: string;
  team: string;
  amount: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface Viewer {
  readonly id: string;
  readonly team: string;
}

export interface NewTask {
  title: string;
  notes?: string | undefined;
  visibility?: TaskVisibility | undefined;
  amount?: number | null | undefined;
}

export type TaskPatch = Partial<Pick<Task, 'title' | 'notes' | 'status' | 'visibility' | 'amount'>>;

export interface TaskQuery {
  status?: TaskStatus | undefined;
  visibility?: TaskVisibility | undefined;
  limit: number;
  cursor?: string | undefined;
}

export type TaskError = 'not_found' | 'not_owner' | 'invalid_cursor';
export type Result<T> = { ok: true; value: T } | { ok: false; error: TaskError };

interface Row {
  readonly seq: number;
  task: Task;
}

/**
 * Acme's tasks, in memory, for one sandbox instance. A viewer sees their own tasks and their
 * teammates' `team` tasks; only the owner may change or delete a task. Newest first.
 */
export class TaskStore {
  readonly #rows = new Map<string, Row>();
  #seq = 0;

  constructor(users: readonly SandboxUser[], now: Date = new Date()) {
    for (const seed of seedTasks(users, now)) this.#insert(seed.owner, seed.task, seed.createdAt);
  }

  list(viewer: Viewer, query: TaskQuery): Result<{ tasks: Task[]; nextCursor: string | null }> {
    const after = query.cursor === undefined ? Infinity : decodeCursor(query.cursor);
    if (after === undefined) return { ok: false, error: 'invalid_cursor' };
    const matching = [...this.#rows.values()]
      .filter((row) => row.seq < after && isVisible(row.task, viewer))
      .filter(({ task }) => query.status === undefined || task.status === query.status)
      .filter(({ task }) => query.visibility === undefined || task.visibility === query.visibility)
      .sort((a, b) => b.seq - a.seq);
    const page = matching.slice(0, query.limit);
    const last = page.at(-1);
    const nextCursor = matching.length > page.length && last !== undefined ? encodeCursor(last.seq) : null;
    return { ok: true, value: { tasks: page.map((row) => ({ ...row.task })), nextCursor } };
  }

  get(viewer: Viewer, id: string): Result<Task> {
    const row = this.#rows.get(id);
    if (row === undefined || !isVisible(row.task, viewer)) return { ok: false, error: 'not_found' };
    return { ok: true, value: { ...row.task } };
  }

  create(owner: Viewer, input: NewTask): Task {
    return { ...this.#insert(owner, input, new Date()) };
  }

  update(viewer: Viewer, id: string, patch: TaskPatch): Result<Task> {
    const owned = this.#owned(viewer, id);
    if (!owned.ok) return owned;
    const row = owned.value;
    row.task = { ...row.task, ...patch, updatedAt: new Date().toISOString() };
    return { ok: true, value: { ...row.task } };
  }

  delete(viewer: Viewer, id: string): Result<void> {
    const owned = this.#owned(viewer, id);
    if (!owned.ok) return owned;
    this.#rows.delete(id);
    return { ok: true, value: undefined };
  }

  #owned(viewer: Viewer, id: string): Result<Row> {
    const row = this.#rows.get(id);
    if (row === undefined || !isVisible(row.task, viewer)) return { ok: false, error: 'not_found' };
    if (row.task.ownerId !== viewer.id) return { ok: false, error: 'not_owner' };
    return { ok: true, value: row };
  }

  #insert(owner: Viewer, input: NewTask & { status?: TaskStatus }, createdAt: Date): Task {
    const at = createdAt.toISOString();
    const task: Task = {
      id: `task_${randomBytes(8).toString('hex')}`,
      title: input.title,
      notes: input.notes ?? '',
      status: input.status ?? 'open',
      visibility: input.visibility ?? 'private',
      ownerId: owner.id,
      team: owner.team,
      amount: input.amount ?? null,
      createdAt: at,
      updatedAt: at,
    };
    this.#rows.set(task.id, { seq: ++this.#seq, task });
    return task;
  }
}

function isVisible(task: Task, viewer: Viewer): boolean {
  return task.ownerId === viewer.id || (task.visibility === 'team' && task.team === viewer.team);
}

function encodeCursor(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString('base64url');
}

function decodeCursor(cursor: string): number | undefined {
  const match = /^seq:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
