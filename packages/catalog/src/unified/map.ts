import { getPath, isRecord, setPath } from '../toolkits/dotted-path.js';
import type {
  ArgumentSource,
  FieldReader,
  Lookup,
  OperationMapping,
  TaskMapping,
  TaskStatus,
  UnifiedOperation,
} from './schema.js';

/** A unified call as one provider's tool call, and what of it that provider cannot represent. */
export interface ProviderCall {
  operation: OperationMapping;
  arguments: Record<string, unknown>;
  /** Unified arguments (or values, `status=in_progress`) the provider has no place for: reported, not sent. */
  unsupported: string[];
}

/** Arguments that choose the connection, not the task: never mapped. */
export const ROUTING_ARGUMENTS = ['provider'] as const;

export type MapFailure = { code: 'unsupported_operation' | 'invalid_arguments'; message: string };

export function toProviderCall(
  mapping: TaskMapping,
  op: UnifiedOperation,
  args: Record<string, unknown>,
): { ok: true; value: ProviderCall } | { ok: false; error: MapFailure } {
  const declared = mapping.operations[op];
  if (!declared)
    return fail('unsupported_operation', `${mapping.provider} has no ${op} in the unified tasks API`);
  const changed = Object.keys(args).filter((k) => !(ROUTING_ARGUMENTS as readonly string[]).includes(k));
  const statusOnly = args.status !== undefined && changed.every((k) => k === 'id' || k === 'status');
  const operation: OperationMapping = (statusOnly && declared.statusOnly) || declared;
  const out: Record<string, unknown> = {};
  const used = new Set<string>();
  const unsupported: string[] = [];
  for (const lookup of operation.lookups ?? []) {
    for (const source of Object.values(lookup.arguments)) if ('from' in source) used.add(source.from);
    if (lookup.when !== undefined) used.add(lookup.when);
    if (lookup.match && 'status' in lookup.match) {
      used.add('status');
      // A status the provider has no state for: the lookup (and the change) is skipped, and reported.
      if (args.status !== undefined && mapping.statuses.write[args.status as TaskStatus] === undefined)
        unsupported.push(`status=${String(args.status)}`);
    }
  }
  // Filters applied to the unified items: whatever the provider cannot filter is never unsupported.
  const filtered = new Set<string>(operation.resultFilter ?? []);
  for (const name of filtered) used.add(name);
  for (const [target, source] of Object.entries(operation.arguments)) {
    if ('from' in source) used.add(source.from);
    const value = sourceValue(mapping, source, args);
    if (value.kind === 'absent') continue;
    if (value.kind === 'unsupported') {
      if (!('from' in source && filtered.has(source.from))) unsupported.push(value.what);
      continue;
    }
    if (value.kind === 'mismatch')
      return fail('invalid_arguments', `${value.what} is not in the form ${mapping.provider} ids take`);
    setPath(out, target, value.value);
  }
  for (const name of Object.keys(args))
    if (!used.has(name) && !(ROUTING_ARGUMENTS as readonly string[]).includes(name)) unsupported.push(name);
  return { ok: true, value: { operation, arguments: out, unsupported } };
}

type Value =
  | { kind: 'value'; value: unknown }
  | { kind: 'absent' }
  | { kind: 'unsupported'; what: string }
  | { kind: 'mismatch'; what: string };

function sourceValue(
  mapping: TaskMapping,
  source: ArgumentSource,
  args: Record<string, unknown>,
  looked: Record<string, unknown> = {},
): Value {
  if ('const' in source) return { kind: 'value', value: source.const };
  // Filled by lookupArguments/withLookups once the lookup ran.
  if ('lookup' in source)
    return looked[source.lookup] === undefined
      ? { kind: 'absent' }
      : { kind: 'value', value: looked[source.lookup] };
  let value = args[source.from];
  if (value === undefined) return { kind: 'absent' };
  if (source.status) {
    const written = mapping.statuses.write[value as TaskStatus];
    if (written === undefined) return { kind: 'unsupported', what: `${source.from}=${String(value)}` };
    value = written;
  }
  if (source.map !== undefined) {
    const mapped = source.map[String(value)];
    if (mapped === undefined) return { kind: 'unsupported', what: `${source.from}=${String(value)}` };
    value = mapped;
  }
  if (source.single) {
    const list = Array.isArray(value) ? value : [value];
    if (list.length > 1) return { kind: 'unsupported', what: source.from };
    if (list.length === 0) return { kind: 'absent' };
    value = list[0];
  }
  if (source.join !== undefined && Array.isArray(value)) {
    if (value.length === 0) return { kind: 'absent' };
    value = value.join(source.join);
  }
  if (source.pattern !== undefined) {
    const match = new RegExp(source.pattern).exec(String(value));
    if (!match || match[1] === undefined)
      return { kind: 'mismatch', what: `${source.from} "${String(value)}"` };
    value = match[1];
  }
  if (source.integer) value = Number(value);
  if (source.template !== undefined) value = substitute(source.template, value);
  return { kind: 'value', value };
}

/** `template` with every string "$value" replaced by `value` (a rich-text document around plain text). */
function substitute(template: unknown, value: unknown): unknown {
  if (template === '$value') return value;
  if (typeof template === 'string') return template.replaceAll('$value', String(value));
  if (Array.isArray(template)) return template.map((t) => substitute(t, value));
  if (isRecord(template))
    return Object.fromEntries(Object.entries(template).map(([k, v]) => [k, substitute(v, value)]));
  return template;
}

/** One lookup's tool arguments, from the unified arguments and the values earlier lookups took. */
export function lookupArguments(
  mapping: TaskMapping,
  lookup: Pick<Lookup, 'arguments'>,
  args: Record<string, unknown>,
  looked: Record<string, unknown>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [target, source] of Object.entries(lookup.arguments)) {
    const value = sourceValue(mapping, source, args, looked);
    if (value.kind === 'value') setPath(out, target, value.value);
  }
  return out;
}

/** Whether a lookup runs for these arguments (`when`; a status match needs a writable status). */
export function lookupApplies(mapping: TaskMapping, lookup: Lookup, args: Record<string, unknown>): boolean {
  if (lookup.when !== undefined && args[lookup.when] === undefined) return false;
  return matchValue(mapping, lookup, args) !== undefined || !lookup.match;
}

function matchValue(
  mapping: TaskMapping,
  lookup: Pick<Lookup, 'match'>,
  args: Record<string, unknown>,
): unknown {
  const match = lookup.match;
  if (!match) return undefined;
  return 'equals' in match ? match.equals : mapping.statuses.write[args.status as TaskStatus];
}

/** The value a lookup takes from its tool's (shaped) output; undefined when nothing matches. */
export function lookupValue(
  mapping: TaskMapping,
  lookup: Pick<Lookup, 'items' | 'match' | 'take'>,
  args: Record<string, unknown>,
  data: unknown,
): unknown {
  const list = lookup.items === undefined ? data : getPath(data, lookup.items);
  const match = lookup.match;
  const equals = matchValue(mapping, lookup, args);
  const item = match
    ? Array.isArray(list)
      ? list.find((x) => getPath(x, match.path) === equals)
      : undefined
    : list;
  return item === undefined ? undefined : getPath(item, lookup.take);
}

/** The read-back's tool arguments (a write Jira answers with 204 is read again), if it has one. */
export function readBackArguments(
  mapping: TaskMapping,
  operation: OperationMapping,
  args: Record<string, unknown>,
): Record<string, unknown> | undefined {
  const readBack = operation.readBack;
  if (!readBack) return undefined;
  const out: Record<string, unknown> = {};
  for (const [target, source] of Object.entries(readBack.arguments)) {
    const value = sourceValue(mapping, source, args);
    if (value.kind === 'value') setPath(out, target, value.value);
  }
  return out;
}

/** The operation's arguments with the looked-up values set (the lookup sources). */
export function withLookups(
  mapping: TaskMapping,
  operation: OperationMapping,
  providerArgs: Record<string, unknown>,
  looked: Record<string, unknown>,
): Record<string, unknown> {
  const out = structuredClone(providerArgs);
  for (const [target, source] of Object.entries(operation.arguments))
    if ('lookup' in source) {
      const value = sourceValue(mapping, source, {}, looked);
      if (value.kind === 'value') setPath(out, target, value.value);
    }
  return out;
}

const RESULT_SHAPE = {
  'tasks.list': 'task',
  'tasks.get': 'task',
  'tasks.create': 'task',
  'tasks.update': 'task',
  'tasks.close': 'task',
  'tasks.comment': 'comment',
  'projects.list': 'project',
} as const satisfies Record<UnifiedOperation, 'task' | 'project' | 'comment'>;

const LISTS: readonly UnifiedOperation[] = ['tasks.list', 'projects.list'];

/** Unified fields a write sets, read back from the request when the provider's answer omits them. */
const ECHOED = {
  task: ['id', 'title', 'description', 'status', 'projectId', 'assigneeIds'],
  comment: ['body'],
  project: [],
} as const;

/**
 * The provider tool's (shaped, record-filtered) output as unified objects: one, or `{ items }` for
 * list operations. Every field of the shape is present (null when the provider has no value). A write
 * the provider accepted (2xx) did set what it was sent: fields its answer does not echo (Jira's create
 * answers only id and key) are taken from the unified arguments that were sent, never from unsent ones.
 */
export function fromProviderResult(
  mapping: TaskMapping,
  op: UnifiedOperation,
  call: {
    /** The operation toProviderCall chose (its statusOnly variant); default: the declared one. */
    operation?: OperationMapping;
    data: unknown;
    providerArgs: Record<string, unknown>;
    unifiedArgs: Record<string, unknown>;
    unsupported: readonly string[];
    /** `data` is the read-back tool's output (the object itself), not the write's. */
    readBack?: boolean;
  },
): unknown {
  const operation = call.operation ?? mapping.operations[op];
  const shape = RESULT_SHAPE[op];
  const read = (item: unknown) => readObject(mapping, shape, item, call.providerArgs);
  if (LISTS.includes(op)) {
    const list = operation?.items === undefined ? call.data : getPath(call.data, operation.items);
    const items = Array.isArray(list) ? list.map(read) : [];
    const status = call.unifiedArgs.status;
    return {
      items:
        operation?.resultFilter?.includes('status') && status !== undefined
          ? items.filter((item) => item.status === status)
          : items,
    };
  }
  const root = call.readBack ? undefined : operation?.root;
  const out = read(root === undefined ? call.data : getPath(call.data, root));
  const sent = sentArguments(op, call.unifiedArgs, call.unsupported);
  for (const field of ECHOED[shape])
    if (field in out && (out[field] === null || out[field] === undefined) && sent[field] !== undefined)
      out[field] = sent[field];
  return out;
}

const WRITES: readonly UnifiedOperation[] = ['tasks.create', 'tasks.update', 'tasks.close', 'tasks.comment'];

/** Unified arguments a write sent the provider (not the unsupported ones), and the status it implies. */
function sentArguments(
  op: UnifiedOperation,
  args: Record<string, unknown>,
  unsupported: readonly string[],
): Record<string, unknown> {
  if (!WRITES.includes(op)) return {};
  // A task is created open, and closing makes it done: what those calls set without naming it.
  const implied = op === 'tasks.close' ? 'done' : op === 'tasks.create' ? 'open' : undefined;
  const sent: Record<string, unknown> = implied ? { status: implied } : {};
  for (const [k, v] of Object.entries(args))
    if (!unsupported.some((u) => u === k || u.startsWith(`${k}=`))) sent[k] = v;
  return sent;
}

/** The fields of each unified shape, in the order results list them. */
export const SHAPE_FIELDS = {
  task: ['id', 'title', 'description', 'status', 'projectId', 'assigneeIds', 'url'],
  project: ['id', 'name'],
  comment: ['id', 'taskId', 'body'],
} as const;

function readObject(
  mapping: TaskMapping,
  shape: keyof typeof SHAPE_FIELDS,
  item: unknown,
  providerArgs: Record<string, unknown>,
): Record<string, unknown> {
  const readers: Partial<Record<string, FieldReader>> = mapping[shape];
  const out: Record<string, unknown> = {};
  for (const field of SHAPE_FIELDS[shape]) {
    const reader = readers[field];
    out[field] = reader
      ? readField(mapping, reader, item, providerArgs)
      : field === 'assigneeIds'
        ? []
        : null;
  }
  return out;
}

function readField(
  mapping: TaskMapping,
  reader: FieldReader,
  item: unknown,
  providerArgs: Record<string, unknown>,
): unknown {
  if (reader.template !== undefined)
    return reader.template.replace(/\{(\$args\.)?([^}]+)\}/g, (_, args: string | undefined, path: string) =>
      String((args ? getPath(providerArgs, path) : getPath(item, path)) ?? ''),
    );
  const raw = reader.path === undefined ? item : getPath(item, reader.path);
  if (reader.single) return raw === undefined || raw === null ? [] : [text(raw)].filter((x) => x !== null);
  if (reader.each !== undefined)
    return Array.isArray(raw) ? raw.map((x) => text(getPath(x, reader.each!))).filter((x) => x !== null) : [];
  if (reader.status)
    return raw === undefined || raw === null ? null : (mapping.statuses.read[String(raw)] ?? null);
  return raw === undefined ? null : typeof raw === 'number' ? String(raw) : raw;
}

const text = (v: unknown): string | null =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;

const fail = (code: MapFailure['code'], message: string) => ({
  ok: false as const,
  error: { code, message },
});

/** What a unified call acts on, in provider-neutral terms: what policies see as its resource. */
export interface UnifiedTarget {
  /** The project (repository, board list, team) the call acts in, when the call names or implies it. */
  project: string | null;
  /** The task the call acts on (`id` of get, update, comment, close). */
  task: string | null;
}

/**
 * The call's project and task from its unified arguments: `projectId`, or the project part of a task
 * id for providers whose ids carry it (mapping `taskProject`). Asana, Trello and Linear ids do not:
 * their task calls have no project until the mapping's `taskProjectLookup` reads the task (see
 * `taskProjectRead`).
 */
export function unifiedTarget(
  mapping: Pick<TaskMapping, 'taskProject'> | undefined,
  args: Record<string, unknown>,
): UnifiedTarget {
  const task = typeof args.id === 'string' ? args.id : null;
  if (typeof args.projectId === 'string') return { project: args.projectId, task };
  const match = task !== null && mapping?.taskProject ? new RegExp(mapping.taskProject).exec(task) : null;
  return { project: match?.[1] ?? null, task };
}
