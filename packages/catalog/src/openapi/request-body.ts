import { isRecord } from '../toolkits/dotted-path.js';
import type { ToolHttp } from '../toolkits/schema.js';
import { type ArgumentSet, withDescription } from './argument-set.js';
import { argumentName, freeName } from './naming.js';
import type { Operation } from './operations.js';
import { omitBodyProperties } from './prune.js';
import { deref, ImportProblem } from './refs.js';
import { convertSchema, type SpecContext } from './schema-convert.js';

const JSON_MEDIA = /^application\/(?:[\w.-]+\+)?json(?:\s*;.*)?$/i;
const FORM_MEDIA = /^application\/x-www-form-urlencoded(?:\s*;.*)?$/i;
// Body fields are dotted paths, so a property name must be one path segment.
const FIELD_NAME = /^[A-Za-z0-9_$-]+$/;

/**
 * A JSON request body as arguments. An object body with properties becomes one argument per
 * property (`http.body.fields`; a name already taken by a parameter gets a `body_` prefix); any
 * other body (an array, a string, a union) becomes one `body` argument sent as the whole body.
 */
export function addRequestBody(
  operation: Operation,
  ctx: SpecContext,
  args: ArgumentSet,
  warn: (message: string) => void,
  omit: readonly string[] = [],
): ToolHttp['body'] | undefined {
  const raw = operation.op['requestBody'];
  if (raw === undefined) {
    if (omit.length > 0)
      throw new ImportProblem(operation.at, 'omitBodyProperties: the operation has no body');
    return undefined;
  }
  const at = `${operation.at}.requestBody`;
  const requestBody = deref(ctx.spec, raw, at);
  const content = isRecord(requestBody['content']) ? requestBody['content'] : {};
  const mediaTypes = Object.keys(content);
  if (mediaTypes.length === 0) return undefined;
  const json =
    mediaTypes.find((m) => m.toLowerCase() === 'application/json') ??
    mediaTypes.find((m) => JSON_MEDIA.test(m));
  // Documents converted from Postman collections (Notion's) give some GETs an optional, empty form
  // body: nothing is ever sent there, so it is no argument.
  if (
    json === undefined &&
    operation.method === 'GET' &&
    requestBody['required'] !== true &&
    mediaTypes.every((m) => isEmptyObject(content[m]))
  ) {
    warn(`${at}: optional empty ${mediaTypes.join(', ')} body on a GET left out`);
    return undefined;
  }
  const form = mediaTypes.find((m) => FORM_MEDIA.test(m));
  const media = json ?? form;
  if (media === undefined)
    throw new ImportProblem(at, `Only JSON and form bodies are supported, not ${mediaTypes.join(', ')}`);
  const mediaObject = content[media];
  const bodyRequired = requestBody['required'] === true;
  const rawSchema = isRecord(mediaObject) ? (mediaObject['schema'] ?? {}) : {};
  const schema = convertSchema(
    omit.length > 0 ? omitBodyProperties(ctx.spec, rawSchema, omit, at) : rawSchema,
    ctx,
  );
  const object = objectSchema(schema);

  if (object === undefined) {
    if (media === form) throw new ImportProblem(at, 'A form body must be an object with properties');
    const name = freeName(['body', 'request_body'], args.names);
    const added = args.add(name, withDescription(schema, requestBody['description']), bodyRequired, at);
    return added === undefined ? undefined : { arg: added };
  }
  const required = new Set(Array.isArray(object['required']) ? object['required'] : []);
  const fields: [string, string][] = [];
  for (const [property, propertySchema] of Object.entries(object['properties'])) {
    const isRequired = bodyRequired && required.has(property);
    if (!FIELD_NAME.test(property)) {
      if (isRequired)
        throw new ImportProblem(at, `Body property "${property}" cannot be mapped to a field path`);
      warn(`${at}: body property "${property}" left out (not a plain field name)`);
      continue;
    }
    const base = argumentName(property);
    const name = freeName([base, `body_${base}`], args.names);
    const added = args.add(name, propertySchema as Record<string, unknown> | boolean, isRequired, at);
    if (added !== undefined) fields.push([property, added]);
  }
  return {
    fields: Object.fromEntries(fields),
    ...(media === form ? { encoding: formEncoding(mediaObject) } : {}),
  };
}

/** A form body whose document encodes a property as deepObject (Stripe's do) nests with brackets. */
function formEncoding(mediaObject: unknown): 'form' | 'form_deep' {
  const encoding = isRecord(mediaObject) && isRecord(mediaObject['encoding']) ? mediaObject['encoding'] : {};
  return Object.values(encoding).some((e) => isRecord(e) && e['style'] === 'deepObject')
    ? 'form_deep'
    : 'form';
}

/** The object schema of a body, seeing through a one-member oneOf/anyOf wrapper (GitHub uses these). */
function objectSchema(
  schema: unknown,
): (Record<string, unknown> & { properties: Record<string, unknown> }) | undefined {
  let current = schema;
  while (isRecord(current) && current['properties'] === undefined) {
    const wrapper = Array.isArray(current['oneOf']) ? current['oneOf'] : current['anyOf'];
    if (!Array.isArray(wrapper) || wrapper.length !== 1) break;
    current = wrapper[0];
  }
  if (!isRecord(current) || !isRecord(current['properties'])) return undefined;
  // A 3.0 `nullable` body is ["object", "null"]; sending no fields is how to leave it out.
  const types = [current['type'] ?? 'object'].flat();
  if (!types.includes('object')) return undefined;
  return current as Record<string, unknown> & { properties: Record<string, unknown> };
}

/** A media type object whose schema is an object with no properties (or no schema at all). */
function isEmptyObject(media: unknown): boolean {
  const schema = isRecord(media) ? media['schema'] : undefined;
  if (schema === undefined) return true;
  if (!isRecord(schema) || schema['$ref'] !== undefined) return false;
  const props = schema['properties'];
  return (
    (schema['type'] ?? 'object') === 'object' &&
    (props === undefined || (isRecord(props) && Object.keys(props).length === 0))
  );
}
