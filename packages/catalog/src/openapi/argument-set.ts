import { ImportProblem } from './refs.js';

type Schema = Record<string, unknown> | boolean;

/** The tool's input properties as they are collected from parameters and the request body. */
export class ArgumentSet {
  readonly properties: Record<string, Schema> = {};
  readonly required: string[] = [];
  readonly #omit: ReadonlySet<string>;
  readonly #omitted = new Set<string>();

  constructor(omit: readonly string[] = []) {
    this.#omit = new Set(omit);
  }

  get names(): ReadonlySet<string> {
    return new Set(Object.keys(this.properties));
  }

  /** Adds an argument; returns undefined when configuration leaves it out (only optional ones). */
  add(name: string, schema: Schema, required: boolean, at: string): string | undefined {
    if (this.#omit.has(name)) {
      if (required) throw new ImportProblem(at, `${name} is required and cannot be omitted`);
      this.#omitted.add(name);
      return undefined;
    }
    Object.defineProperty(this.properties, name, {
      value: schema,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    if (required) this.required.push(name);
    return name;
  }

  /** Omitted names that matched nothing: a typo in the config should not pass silently. */
  unusedOmissions(): string[] {
    return [...this.#omit].filter((name) => !this.#omitted.has(name));
  }
}

/** Puts a parameter's own description on its schema, first, where the LLM reads it. */
export function withDescription(schema: Schema, description: unknown): Schema {
  if (typeof schema === 'boolean' || typeof description !== 'string' || description.trim() === '')
    return schema;
  if (typeof schema['description'] === 'string') return schema;
  return { description: description.trim(), ...schema };
}
