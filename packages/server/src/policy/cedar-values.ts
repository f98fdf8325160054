import type { CedarValueJson, Type, TypeOfAttribute } from '@cedar-policy/cedar-wasm/nodejs';

/**
 * JSON (tool arguments, upstream records) to Cedar, both the types (for the generated schema) and
 * the values (for requests). What cannot be typed is left out of the schema, and so out of policies.
 * A value that does not fit its declared type makes the conversion fail: the caller fails closed.
 */
export type CedarType = Type<string>;
export type CedarAttribute = TypeOfAttribute<string>;

const DECIMAL_LIMIT = 922_337_203_685_477;

/** The Cedar type of a JSON Schema node, or undefined when it has no faithful Cedar form. */
export function typeOfJsonSchema(
  node: unknown,
  depth = 0,
): { type: CedarType; nullable: boolean } | undefined {
  if (!node || typeof node !== 'object' || depth > 6) return undefined;
  const s = node as Record<string, unknown>;
  const types = (Array.isArray(s.type) ? s.type : [s.type]).filter((t): t is string => typeof t === 'string');
  const nullable = types.includes('null');
  const rest = types.filter((t) => t !== 'null');
  if (rest.length !== 1) {
    // `enum` of strings without `type` still reads as a String.
    if (rest.length === 0 && Array.isArray(s.enum) && s.enum.every((v) => typeof v === 'string'))
      return { type: { type: 'String' }, nullable };
    return undefined;
  }
  switch (rest[0]) {
    case 'string':
      return { type: { type: 'String' }, nullable };
    case 'integer':
      return { type: { type: 'Long' }, nullable };
    case 'number':
      return { type: { type: 'Extension', name: 'decimal' }, nullable };
    case 'boolean':
      return { type: { type: 'Boolean' }, nullable };
    case 'array': {
      const item = typeOfJsonSchema(s.items, depth + 1);
      return item && !item.nullable ? { type: { type: 'Set', element: item.type }, nullable } : undefined;
    }
    case 'object': {
      const record = recordTypeOf(s, depth + 1);
      return record ? { type: record, nullable } : undefined;
    }
    default:
      return undefined;
  }
}

/** An object schema with declared properties as a Cedar record; open maps have no Cedar form. */
export function recordTypeOf(s: Record<string, unknown>, depth = 0): CedarType | undefined {
  const props = s.properties;
  if (!props || typeof props !== 'object') return undefined;
  const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
  const attributes: Record<string, CedarAttribute> = {};
  for (const [name, child] of Object.entries(props as Record<string, unknown>)) {
    const t = typeOfJsonSchema(child, depth);
    if (!t) continue;
    attributes[name] = { ...t.type, required: required.has(name) && !t.nullable };
  }
  return { type: 'Record', attributes };
}

/** A catalog record attribute declaration (`"decimal?"`) as a Cedar attribute type. */
export function typeOfDeclaration(decl: string): CedarAttribute {
  const optional = decl.endsWith('?');
  const name = optional ? decl.slice(0, -1) : decl;
  const required = !optional;
  if (name === 'decimal' || name === 'datetime') return { type: 'Extension', name, required };
  if (name === 'Set<String>') return { type: 'Set', element: { type: 'String' }, required };
  return { type: name as 'String' | 'Long' | 'Boolean', required };
}

export class Unrepresentable extends Error {}

/** Converts a JSON value to its Cedar JSON form under `type`; throws Unrepresentable when it does not fit. */
export function cedarValue(type: CedarType, value: unknown, path: string): CedarValueJson {
  const t = type as {
    type: string;
    name?: string;
    element?: CedarType;
    attributes?: Record<string, CedarAttribute>;
  };
  switch (t.type) {
    case 'String':
      if (typeof value === 'string') return value;
      break;
    case 'Long':
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      break;
    case 'Boolean':
      if (typeof value === 'boolean') return value;
      break;
    case 'Extension':
      if (t.name === 'decimal') return decimal(value, path);
      if (t.name === 'datetime') return datetime(value, path);
      break;
    case 'Set':
      if (Array.isArray(value)) return value.map((v, i) => cedarValue(t.element!, v, `${path}[${i}]`));
      break;
    case 'Record':
      if (value && typeof value === 'object' && !Array.isArray(value))
        return cedarRecord(t.attributes ?? {}, value as Record<string, unknown>, path);
      break;
  }
  throw new Unrepresentable(`${path} does not fit the Cedar type ${t.name ?? t.type}`);
}

/**
 * A record of declared attributes; undeclared keys are dropped, absent/null optional ones omitted.
 * `keep` leaves out attributes no policy mentions (they cannot change a decision, and cost time).
 */
export function cedarRecord(
  attributes: Record<string, CedarAttribute>,
  value: Record<string, unknown>,
  path: string,
  keep: (name: string) => boolean = () => true,
): Record<string, CedarValueJson> {
  const out: Record<string, CedarValueJson> = {};
  for (const [name, attr] of Object.entries(attributes)) {
    if (!keep(name)) continue;
    const v = value[name];
    if (v === undefined || v === null) {
      if (attr.required !== false) throw new Unrepresentable(`${path}.${name} is missing`);
      continue;
    }
    out[name] = cedarValue(attr, v, `${path}.${name}`);
  }
  return out;
}

/** Cedar decimals have four fractional digits; a value is rounded to them (half away from zero). */
function decimal(value: unknown, path: string): CedarValueJson {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) >= DECIMAL_LIMIT)
    throw new Unrepresentable(`${path} is not a number Cedar's decimal can hold`);
  const fixed = (Math.sign(value) * Math.round(Math.abs(value) * 10_000)) / 10_000;
  return { __extn: { fn: 'decimal', arg: fixed.toFixed(4) } };
}

function datetime(value: unknown, path: string): CedarValueJson {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new Unrepresentable(`${path} is not a date-time`);
  return { __extn: { fn: 'datetime', arg: new Date(ms).toISOString() } };
}

export const cedarDatetime = (d: Date): CedarValueJson => ({
  __extn: { fn: 'datetime', arg: d.toISOString() },
});
