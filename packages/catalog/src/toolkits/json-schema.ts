import { z } from 'zod';
import { toolkitSchema } from './schema.js';

export const TOOLKIT_JSON_SCHEMA_FILE = new URL('../../schema/toolkit.schema.json', import.meta.url);

/**
 * The JSON Schema editors validate toolkit files with. It describes the input shape only; the
 * cross-field rules (arguments named by http exist, slug prefix, ...) live in refinements.ts.
 */
export function toolkitJsonSchemaText(): string {
  return `${JSON.stringify(z.toJSONSchema(toolkitSchema, { io: 'input' }), null, 2)}\n`;
}
