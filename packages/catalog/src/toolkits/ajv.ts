import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';

/**
 * The one Ajv configuration for tool arguments. strict: false because imported OpenAPI schemas carry
 * keywords Ajv does not know; addUsedSchema: false so two tools with the same `$id` do not collide.
 */
export function createAjv(): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, addUsedSchema: false });
  // The CommonJS default export is the plugin itself, with `.default` pointing to it as well.
  formats.default(ajv);
  return ajv;
}

let shared: Ajv2020 | undefined;

export function sharedAjv(): Ajv2020 {
  shared ??= createAjv();
  return shared;
}
