import { isRecord } from '../toolkits/dotted-path.js';
import { deref, ImportProblem } from './refs.js';

/**
 * The request body schema with optional properties removed, before it is converted: `Message.attachments`
 * drops `attachments` wherever the `Message` property's schema declares it (through `$ref`s, in
 * allOf/anyOf/oneOf members and array `items`). Paths are body paths in the document's own names.
 * Graph's entity schemas reference each other so densely that inlining a driveItem body whole takes
 * gigabytes; dropping the navigation properties first keeps tools small, and a request without an
 * optional property still matches the document. Returns the node unchanged where nothing matched.
 */
export function omitBodyProperties(
  spec: unknown,
  schema: unknown,
  paths: readonly string[],
  at: string,
): unknown {
  let current = schema;
  for (const path of paths) {
    const pruned = prune(spec, current, path.split('.'), at);
    if (!pruned.found) throw new ImportProblem(at, `omitBodyProperties: ${path} names no optional property`);
    current = pruned.node;
  }
  return current;
}

function prune(
  spec: unknown,
  node: unknown,
  segments: string[],
  at: string,
): { node: unknown; found: boolean } {
  const [head, ...rest] = segments;
  if (!isRecord(node) || head === undefined) return { node, found: false };
  const target = typeof node['$ref'] === 'string' ? deref(spec, node, at) : node;
  const copy: Record<string, unknown> = { ...target };
  let found = false;
  for (const key of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = target[key];
    if (!Array.isArray(list)) continue;
    copy[key] = list.map((member) => {
      const r = prune(spec, member, segments, at);
      found ||= r.found;
      return r.node;
    });
  }
  if (isRecord(target['items'])) {
    const r = prune(spec, target['items'], segments, at);
    found ||= r.found;
    copy['items'] = r.node;
  }
  const props = target['properties'];
  if (isRecord(props) && Object.hasOwn(props, head)) {
    const required = Array.isArray(target['required']) ? target['required'] : [];
    if (rest.length > 0) {
      const r = prune(spec, props[head], rest, at);
      if (r.found) copy['properties'] = { ...props, [head]: r.node };
      found ||= r.found;
    } else if (!required.includes(head)) {
      const { [head]: _, ...others } = props;
      copy['properties'] = others;
      found = true;
    }
  }
  return found ? { node: copy, found } : { node, found: false };
}
