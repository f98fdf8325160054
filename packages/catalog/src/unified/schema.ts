import { z } from 'zod';

/** The unified statuses every ticketing provider is mapped to and from. */
export const TASK_STATUSES = ['open', 'in_progress', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const UNIFIED_OPERATIONS = [
  'tasks.list',
  'tasks.get',
  'tasks.create',
  'tasks.update',
  'tasks.comment',
  'tasks.close',
  'projects.list',
] as const;
export type UnifiedOperation = (typeof UNIFIED_OPERATIONS)[number];

const json = z.json();
const dotted = z
  .string()
  .regex(/^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+)*$/, { message: 'Must be a dotted path' });

/** Where one provider argument comes from: a unified argument (optionally transformed) or a constant. */
const argumentSource = z.union([
  z
    .object({
      from: z.string().min(1).describe('The unified argument (title, projectId, id, status, ...)'),
      pattern: z
        .string()
        .optional()
        .describe('A regular expression; the value sent is its first capture group (owner of "owner/repo")'),
      template: json
        .optional()
        .describe(
          'JSON sent instead, with every string "$value" replaced by the value (rich-text documents)',
        ),
      status: z.boolean().optional().describe('Translate a unified status through statuses.write'),
      integer: z.boolean().optional().describe('Send the (matched) text as an integer (issue numbers)'),
      join: z
        .string()
        .optional()
        .describe("Send a list as one string joined by this (Trello's comma-separated member ids)"),
      single: z
        .boolean()
        .optional()
        .describe(
          "A list the provider holds one of (Asana's assignee): its only element is sent; more than one is unsupported",
        ),
      map: z
        .record(z.string(), json)
        .optional()
        .describe(
          'Unified value -> provider value for this argument (a status filter); others are unsupported',
        ),
    })
    .strict(),
  z.object({ const: json.describe('Sent as is') }).strict(),
  z
    .object({ lookup: z.string().min(1).describe('The value an earlier lookup of this operation took') })
    .strict(),
]);

/**
 * A read the provider needs before the operation's call (Jira closes through a transition whose id
 * depends on the workflow; Linear sets a state by its id in the team's workflow). It runs on
 * the same connection, after policies decided the call, and its result fills an argument.
 */
const lookup = z
  .object({
    name: z.string().min(1).describe('How arguments (and later lookups) refer to the value taken'),
    tool: z.string().min(1).describe('The provider tool that reads it'),
    arguments: z.record(
      z.string().min(1),
      z.lazy(() => argumentSource),
    ),
    when: z
      .string()
      .min(1)
      .optional()
      .describe('Run only when the call has this unified argument (a status change on update)'),
    items: dotted.optional().describe('The array in the tool output to search'),
    match: z
      .union([
        z.object({ path: dotted, equals: json }).strict(),
        z
          .object({ path: dotted, status: z.literal(true) })
          .strict()
          .describe('equals the unified status argument through statuses.write; skipped when it has none'),
      ])
      .optional()
      .describe('The first item whose value at path equals this'),
    take: dotted.describe('The path of the value in the item (or the output)'),
  })
  .strict();

/**
 * For providers whose task ids do not carry the project (Asana, Trello, Linear; Jira's numeric ids):
 * a read of the task whose value is its project, as `projectId` means it in this mapping. The broker
 * makes it before policies decide a call that names only a task, so they see the task's project.
 */
const taskProjectLookup = lookup
  .omit({ name: true, when: true })
  .describe(
    "Reads a task's project for policies when its id does not carry it (taskProject): before they decide, on the same connection",
  );

/** How one unified field is read from a provider object. */
const fieldReader = z
  .object({
    path: dotted.optional().describe('Dotted path in the provider object'),
    template: z
      .string()
      .optional()
      .describe('A string built from {path} in the object and {$args.name} of the provider call'),
    each: dotted.optional().describe('For arrays: the path read in each element'),
    status: z.boolean().optional().describe('Translate the provider value through statuses.read'),
    single: z
      .boolean()
      .optional()
      .describe("A single value read as a one-element list (none: an empty list): Asana's one assignee"),
  })
  .strict();

const shape = (fields: readonly [string, ...string[]]) =>
  z.partialRecord(z.enum(fields), fieldReader).describe('Unified field -> how it is read');

const providerOperation = z
  .object({
    tool: z.string().min(1).describe('The provider tool that implements the operation'),
    arguments: z
      .record(z.string().min(1), argumentSource)
      .describe('Provider argument (dotted path into the arguments) -> where its value comes from'),
    lookups: z.array(lookup).optional().describe('Reads made before the call, in order'),
    items: dotted.optional().describe('For list operations: the path of the array in the tool output'),
    root: dotted.optional().describe('For single objects: the path of the object in the tool output'),
    readBack: z
      .object({
        tool: z.string().min(1).describe('The provider tool that reads the object after the write'),
        arguments: z.record(z.string().min(1), argumentSource),
      })
      .strict()
      .optional()
      .describe(
        'A read after a write whose answer has nothing to read (Jira answers edits and transitions with 204): the unified object, and raw, come from it',
      ),
    resultFilter: z
      .array(z.enum(['status']))
      .optional()
      .describe(
        'Unified arguments applied to the unified items because the provider cannot filter by them (or by some of their values): never reported unsupported; a page may hold fewer than limit items',
      ),
    cursor: z
      .enum(['result', 'none'])
      .optional()
      .describe('result: the provider tool paginates and its nextCursor is passed on (default)'),
  })
  .strict();

const operationMapping = providerOperation
  .extend({
    statusOnly: providerOperation
      .optional()
      .describe(
        'Used instead when the call changes only the status (id and status, nothing else): Jira changes a status by a transition, which an edit cannot make',
      ),
  })
  .strict();

export const taskMappingSchema = z
  .object({
    $schema: z.string().optional(),
    provider: z.string().min(1).describe('The provider id of the connections this mapping serves'),
    toolkit: z.string().min(1).describe('The toolkit whose tools implement the operations'),
    notes: z.string().optional(),
    taskProject: z
      .string()
      .optional()
      .describe(
        "A regular expression on a task id whose first capture group is the task's project (GitHub owner/repo#12, Jira ENG-1): policies then see the project of calls that name only a task",
      ),
    taskProjectLookup: taskProjectLookup.optional(),
    statuses: z
      .object({
        write: z.partialRecord(z.enum(TASK_STATUSES), json).describe('Unified status -> provider value'),
        read: z
          .record(z.string(), z.enum(TASK_STATUSES))
          .describe('Provider value (as text) -> unified status'),
      })
      .strict(),
    task: shape(['id', 'title', 'description', 'status', 'projectId', 'assigneeIds', 'url']),
    project: shape(['id', 'name']),
    comment: shape(['id', 'taskId', 'body']),
    operations: z.partialRecord(z.enum(UNIFIED_OPERATIONS), operationMapping),
  })
  .strict()
  .meta({
    title: 'Gatehouse unified tasks mapping',
    description:
      'How one ticketing provider implements the unified tasks operations. See packages/catalog/README.md.',
  });

export type TaskMapping = z.output<typeof taskMappingSchema>;
export type OperationMapping = z.output<typeof operationMapping>;
export type FieldReader = z.output<typeof fieldReader>;
export type ArgumentSource = z.output<typeof argumentSource>;
export type Lookup = z.output<typeof lookup>;
export type TaskProjectLookup = z.output<typeof taskProjectLookup>;

export const TASK_MAPPING_JSON_SCHEMA_FILE = new URL(
  '../../schema/unified-mapping.schema.json',
  import.meta.url,
);

export function taskMappingJsonSchemaText(): string {
  return `${JSON.stringify(z.toJSONSchema(taskMappingSchema, { io: 'input' }), null, 2)}\n`;
}
