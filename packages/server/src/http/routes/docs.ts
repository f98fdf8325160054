import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { GatehouseError } from '../../shared/errors.js';
import type { OpenApiDocument } from '../openapi/document.js';
import { jsonObject, text } from '../responses.js';
import { defineRoute, type HttpResponse } from '../route.js';

// Swagger UI's prebuilt bundle, served from node_modules: the reference works offline, no CDN.
const SWAGGER_UI_DIR = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

// The page's own script is a file too, so the CSP allows scripts from 'self' only (no inline code).
const INIT_SCRIPT = `window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#reference',
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
    validatorUrl: null,
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Gatehouse API reference</title>
<link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="reference"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

// Scripts and styles from this origin only. Swagger UI sets element styles through the DOM (not
// inline `style` attributes in markup), which CSP does not govern.
const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const cache = new Map<string, Buffer>();
function asset(name: string): HttpResponse {
  const type = ASSETS[name];
  if (!type) throw new GatehouseError('not_found', `no asset ${name}`);
  let body = cache.get(name);
  if (!body) {
    body = readFileSync(join(SWAGGER_UI_DIR, name));
    cache.set(name, body);
  }
  return { status: 200, body, headers: { 'content-type': type, 'cache-control': 'public, max-age=3600' } };
}

/** `/openapi.json`, generated from the route table, and `/docs`, a browsable reference over it. */
export const docsRoutes = (document: () => OpenApiDocument) => [
  defineRoute({
    method: 'GET',
    url: '/openapi.json',
    auth: 'none',
    operationId: 'getOpenApiDocument',
    summary: 'This API as an OpenAPI 3.1 document',
    responses: { 200: jsonObject.meta({ description: 'An OpenAPI 3.1 document' }) },
    handler: async () => ({ status: 200, body: document() }),
  }),
  defineRoute({
    method: 'GET',
    url: '/docs',
    auth: 'none',
    operationId: 'getApiReference',
    summary: 'The browsable API reference',
    responses: { 200: text('text/html', 'The API reference page') },
    handler: async () => ({
      status: 200,
      body: PAGE,
      headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': DOCS_CSP },
    }),
  }),
  defineRoute({
    method: 'GET',
    url: '/docs/:asset',
    auth: 'none',
    operationId: 'getApiReferenceAsset',
    summary: "The reference page's script, styles and icon",
    params: z.strictObject({ asset: z.string().min(1).max(64) }),
    responses: { 200: text('application/octet-stream', 'A static file of the reference page') },
    handler: async ({ params }) =>
      params.asset === 'init.js'
        ? { status: 200, body: INIT_SCRIPT, headers: { 'content-type': 'text/javascript; charset=utf-8' } }
        : asset(params.asset),
  }),
];
