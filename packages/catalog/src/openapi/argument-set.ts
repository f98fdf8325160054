import { ImportProblem } from './refs.js';

type Schema = Record<string, unknown> | boolean;

/** The tool's input properties as they are collected from parameters and the request body. */
export class ArgumentSet {
  readonly properties: Record<string, Schema> = {};
  readonly required: string[] = [];
  readonly #omit: ReadonlySet<string>;
  readonly #omitted = new Set<string>();
  readonly #rename: ReadonlyMap<string, string>;
  readonly #renamed = new Set<string>();

  constructor(omit: readonly string[] = [], rename: Readonly<Record<string, string>> = {}) {
    this.#omit = new Set(omit);
    this.#rename = new Map(Object.entries(rename));
  }

  /** Whether configuration leaves this (importer-given) name out; checked before anything else. */
  omits(name: string): boolean {
    return this.#omit.has(name);
  }

  get names(): ReadonlySet<string> {
    return new Set(Object.keys(this.properties));
  }

  /**
   * Adds an argument under its configured new name, if any; returns the name it got, or undefined
   * when configuration leaves it out (only optional ones).
   */
  add(given: string, schema: Schema, required: boolean, at: string): string | undefined {
    if (this.#omit.has(given)) {
      if (required) throw new ImportProblem(at, `${given} is required and cannot be omitted`);
      this.#omitted.add(given);
      return undefined;
    }
    const name = this.#rename.get(given) ?? given;
    if (name !== given) {
      if (Object.hasOwn(this.properties, name))
        throw new ImportProblem(at, `renameArguments: ${given} -> ${name} clashes with another argument`);
      this.#renamed.add(given);
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

  /** Renamed names that matched nothing, for the same reason. */
  unusedRenames(): string[] {
    return [...this.#rename.keys()].filter((name) => !this.#renamed.has(name));
  }
}

/** Puts a parameter's own description on its schema, first, where the LLM reads it. */
export function withDescription(schema: Schema, description: unknown): Schema {
  if (typeof schema === 'boolean' || typeof description !== 'string' || description.trim() === '')
    return schema;
  if (typeof schema['description'] === 'string') return schema;
  return { description: description.trim(), ...schema };
}
