import { z } from 'zod';
import { apiBlock, connectionConfigBlock, settingsBlock } from './blocks/api.js';
import { apiKeyBlock, basicBlock } from './blocks/credential.js';
import { oauth2Block } from './blocks/oauth2.js';
import { refineProvider } from './refinements.js';

/** Auth types the server implements: the OAuth code flow, and static credentials the user enters. */
export const SUPPORTED_AUTH_TYPES = ['oauth2', 'api_key', 'basic', 'bearer'] as const;
export type AuthType = (typeof SUPPORTED_AUTH_TYPES)[number];

const providerObject = z.strictObject({
  $schema: z.string().optional().describe('Path to this JSON Schema, for editors'),
  id: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,62}$/, {
      message: 'Must be a slug: lowercase letters, digits and -, 2 to 63 chars',
    })
    .describe('Stable slug; the data file is named <id>.json'),
  displayName: z.string().min(1),
  description: z.string().optional(),
  logoUrl: z.url({ protocol: /^https?$/ }).optional(),
  docsUrl: z.url({ protocol: /^https?$/ }).optional(),
  categories: z.array(z.string().min(1)).default([]),
  notes: z.string().optional().describe('Documented caveats and anything the documentation leaves unclear'),
  setup: z
    .strictObject({
      consoleUrl: z
        .url({ protocol: /^https$/ })
        .describe('Where a developer registers the OAuth app (or creates the key) at the provider'),
      steps: z
        .array(z.string().min(1))
        .default([])
        .describe('What to click there, in order; the callback URL and scopes are added by the guide'),
    })
    .optional()
    .describe('For the generated setup guide (docs/providers/<id>.md and GET /v1/providers/{id})'),
  authType: z
    .enum(SUPPORTED_AUTH_TYPES)
    .describe(
      'oauth2: authorization code flow; api_key: a key in a header or query parameter; basic: HTTP Basic; ' +
        'bearer: a static token in api.authHeader',
    ),
  settings: settingsBlock,
  oauth2: oauth2Block.optional(),
  apiKey: apiKeyBlock.optional(),
  basic: basicBlock.optional(),
  connectionConfig: connectionConfigBlock,
  api: apiBlock,
});

export const providerDefinitionSchema = providerObject.superRefine(refineProvider).meta({
  title: 'Gatehouse provider definition',
  description: 'One upstream service, as data. See packages/catalog/README.md.',
});

/** A validated provider definition with every default applied. */
export type ProviderDefinition = z.output<typeof providerObject>;
/** What a data file or API caller may write (defaults optional). */
export type ProviderDefinitionInput = z.input<typeof providerObject>;

export function isSupportedAuthType(def: Pick<ProviderDefinition, 'authType'>): boolean {
  return (SUPPORTED_AUTH_TYPES as readonly string[]).includes(def.authType);
}
