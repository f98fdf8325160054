import { z } from 'zod';
import { importConfigSchema } from './config.js';

export const IMPORT_CONFIG_JSON_SCHEMA_FILE = new URL(
  '../../schema/toolkit-import.schema.json',
  import.meta.url,
);

/** The JSON Schema for `toolkits/sources/*.import.json`, for editors. */
export function importConfigJsonSchemaText(): string {
  const schema = importConfigSchema.meta({
    title: 'Gatehouse OpenAPI import config',
    description:
      'Which operations of an OpenAPI document become tools, and how. See packages/catalog/README.md.',
  });
  return `${JSON.stringify(z.toJSONSchema(schema, { io: 'input' }), null, 2)}\n`;
}
