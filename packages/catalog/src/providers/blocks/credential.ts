import { z } from 'zod';

/** How the hosted Connect page asks for a secret, and how it is checked before anything is sent. */
const entry = {
  label: z.string().min(1).default('API key').describe('Field label on the hosted Connect page'),
  help: z.string().min(1).optional().describe('Where the user finds the value (shown under the field)'),
  pattern: z
    .string()
    .optional()
    .describe('Regular expression a well-formed value matches (anchor it); checked before the health check'),
};

export const apiKeyBlock = z
  .strictObject({
    in: z
      .enum(['header', 'query'])
      .default('header')
      .describe('Where the key goes on every API call (OpenAPI apiKey security scheme `in`)'),
    name: z
      .string()
      .min(1)
      .optional()
      .describe('Header or query parameter name; a header defaults to api.authHeader.name'),
    prefix: z.string().optional().describe('Before the key in the header; defaults to api.authHeader.prefix'),
    ...entry,
  })
  .describe('authType api_key or bearer: how the static secret is entered and sent');

export const basicBlock = z
  .strictObject({
    usernameLabel: z.string().min(1).default('Username'),
    passwordLabel: z.string().min(1).default('Password'),
    passwordRequired: z
      .boolean()
      .default(true)
      .describe('false where the API takes the key as the username and an empty password'),
    help: z.string().min(1).optional(),
  })
  .describe('authType basic: HTTP Basic (RFC 7617) credentials the user enters');
