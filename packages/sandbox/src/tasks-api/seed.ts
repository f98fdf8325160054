import type { SandboxUser } from '../users.js';
import type { NewTask, TaskStatus, Viewer } from './task-store.js';

export interface SeedTask {
  owner: Viewer;
  task: NewTask & { status?: TaskStatus };
  createdAt: Date;
}

/** Two or three tasks per seeded user, private and team ones, some with an amount. Oldest first. */
const seeds: Readonly<Record<string, ReadonlyArray<NewTask & { status?: TaskStatus }>>> = {
  alice: [
    { title: 'Prepare Q3 roadmap review', notes: 'Collect input from the team first.', visibility: 'team' },
    { title: 'Renew passport', visibility: 'private', status: 'done' },
    { title: 'Expense: conference travel', visibility: 'private', amount: 1240.5 },
  ],
  bob: [
    { title: 'Fix flaky login test', notes: 'Fails about once in twenty CI runs.', visibility: 'team' },
    { title: 'Book dentist appointment', visibility: 'private' },
    { title: 'Review vendor invoice', visibility: 'team', amount: 880 },
  ],
  carol: [
    { title: 'Call Initech about the renewal', visibility: 'team', amount: 12000 },
    { title: 'Draft the sales deck', visibility: 'private' },
  ],
};

export function seedTasks(users: readonly SandboxUser[], now: Date): SeedTask[] {
  const tasks = users.flatMap((user) => (seeds[user.id] ?? []).map((task) => ({ owner: user, task })));
  // One minute apart, the last one a minute before `now`.
  return tasks.map((t, i) => ({ ...t, createdAt: new Date(now.getTime() - (tasks.length - i) * 60_000) }));
}
