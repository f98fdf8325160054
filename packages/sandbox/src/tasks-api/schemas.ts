import { z } from 'zod';

/** Input schemas of the Tasks API: strict at the boundary, unknown body fields rejected. */

const title = z.string().trim().min(1).max(200);
const notes = z.string().max(10_000);
const visibility = z.enum(['private', 'team']);
const status = z.enum(['open', 'done']);
const amount = z.number().nullable();

export const createTaskBody = z.strictObject({
  title,
  notes: notes.optional(),
  visibility: visibility.optional(),
  amount: amount.optional(),
});

export const patchTaskBody = z
  .strictObject({
    title: title.optional(),
    notes: notes.optional(),
    status: status.optional(),
    visibility: visibility.optional(),
    amount: amount.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'give at least one field to change');

export const listTasksQuery = z.object({
  status: status.optional(),
  visibility: visibility.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).optional(),
});
