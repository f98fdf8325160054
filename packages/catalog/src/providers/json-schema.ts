import { z } from 'zod';
import { providerDefinitionSchema } from './schema.js';

export const JSON_SCHEMA_FILE = new URL('../../schema/provider.schema.json', import.meta.url);

/**
 * The JSON Schema editors and non-TypeScript tools validate data files with. It describes the input
 * shape (defaults are optional) and cannot express the cross-field rules in refinements.ts.
 */
export function providerJsonSchemaText(): string {
  return `${JSON.stringify(z.toJSONSchema(providerDefinitionSchema, { io: 'input' }), null, 2)}\n`;
}
