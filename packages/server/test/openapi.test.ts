import { readFileSync } from 'node:fs';
import { Validator } from '@seriousme/openapi-schema-validator';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { renderSdkTypes, SDK_TYPES_FILE } from '../scripts/sdk-types.js';
import { buildApp } from '../src/http/app.js';
import { type OpenApiDocument, openApiPath } from '../src/http/openapi/document.js';
import { empty } from '../src/http/responses.js';
import { defineRoute } from '../src/http/route.js';
import { openPglite } from '../src/store/db.js';
import { hasChromium, launchChromium } from './support/chromium.js';
import { startTestGatehouse, type TestGatehouse } from './support/gatehouse.js';

let gh: TestGatehouse;
let doc: OpenApiDocument;
beforeAll(async () => {
  gh = await startTestGatehouse(await openPglite());
  const res = await gh.call('GET', '/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body as OpenApiDocument;
});
afterAll(async () => {
  await gh.close();
  await gh.server.runtime.db.close();
});

/** Routes a client calls: HEAD is Fastify's mirror of GET, OPTIONS are CORS preflights. */
const callable = (app: FastifyInstance) =>
  app.routeTable.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS' && r.reference);

/** Routes that declare no response schema at all. */
const withoutResponses = (app: FastifyInstance) =>
  app.routeTable
    .filter((r) => r.method !== 'HEAD' && r.responses.length === 0)
    .map((r) => `${r.method} ${r.url}`);

describe('GET /openapi.json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const result = await new Validator().validate(doc as unknown as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('has every registered route, with a unique operation id', () => {
    const missing = callable(gh.server.app)
      .filter((r) => !doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()])
      .map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    expect(ids.length).toBeGreaterThan(90);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('every route declares its responses', () => {
    expect(withoutResponses(gh.server.app)).toEqual([]);
  });

  it('names each operation’s caller: role-bearing project keys, agent keys, the admin token', () => {
    const op = (path: string, method: string) => doc.paths[path]![method]!;
    expect(op('/v1/tools/{slug}/execute', 'post').security).toEqual([
      { apiKey: ['runtime'] },
      { agentKey: [] },
      { delegatedToken: [] },
    ]);
    expect(op('/v1/tools', 'get').security).toEqual([{ apiKey: ['runtime'] }, { agentKey: [] }]);
    expect(op('/v1/approvals/{id}/approve', 'post').security).toEqual([{ apiKey: ['admin'] }]);
    expect(op('/v1/admin/projects', 'post').security).toEqual([{ adminToken: [] }]);
    expect(op('/healthz', 'get').security).toEqual([]);
    expect(Object.keys(doc.components.securitySchemes).sort()).toEqual([
      'adminToken',
      'agentKey',
      'apiKey',
      'delegatedToken',
    ]);
  });

  it('describes bodies and answers with the route schemas, named types by reference', () => {
    const execute = doc.paths['/v1/tools/{slug}/execute']!.post!;
    expect(execute.operationId).toBe('executeTool');
    expect(execute.tags).toEqual(['Tools']);
    const body = (execute.requestBody as { content: Record<string, { schema: { required: string[] } }> })
      .content['application/json']!.schema;
    expect(body.required).toEqual(['userId']);
    expect(execute.responses).toMatchObject({
      200: { content: { 'application/json': { schema: { $ref: '#/components/schemas/ExecutionResult' } } } },
      400: { $ref: '#/components/responses/BadRequest' },
      401: { $ref: '#/components/responses/Unauthorized' },
    });
    const agents = doc.paths['/v1/agents']!.get!;
    expect(agents.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'limit', in: 'query', required: false })]),
    );
    expect(doc.components.schemas.ErrorBody).toMatchObject({ required: ['error'] });
  });

  it('a route without response schemas is caught', async () => {
    const app = await buildApp(gh.server.runtime, [
      defineRoute({
        method: 'GET',
        url: '/test/undeclared',
        auth: 'none',
        responses: {},
        handler: async () => ({ status: 200 }),
      }),
    ]);
    try {
      expect(withoutResponses(app)).toEqual(['GET /test/undeclared']);
    } finally {
      await app.close();
    }
  });
});

describe('response schemas are enforced in tests', () => {
  const routes = [
    defineRoute({
      method: 'GET',
      url: '/test/answers/:kind',
      auth: 'none',
      params: z.strictObject({ kind: z.enum(['right', 'wrong-field', 'extra-field', 'undeclared-status']) }),
      responses: { 200: z.strictObject({ count: z.number().int(), at: z.iso.datetime() }), 204: empty() },
      handler: async ({ params }) => {
        if (params.kind === 'right') return { status: 200, body: { count: 1, at: new Date() } };
        if (params.kind === 'wrong-field') return { status: 200, body: { count: 'one', at: new Date() } };
        if (params.kind === 'extra-field')
          return { status: 200, body: { count: 1, at: new Date(), secretish: 'x' } };
        return { status: 201, body: { count: 1, at: new Date() } };
      },
    }),
  ];

  it('a matching answer passes (dates are checked as the client reads them, ISO strings)', async () => {
    const app = await buildApp(gh.server.runtime, routes, { checkResponses: true });
    try {
      const res = await app.inject({ method: 'GET', url: '/test/answers/right' });
      expect(res.statusCode).toBe(200);
      expect(app.responseMismatches).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('a wrong field, an undocumented field or an undeclared status fails loudly with a 500 naming it', async () => {
    const app = await buildApp(gh.server.runtime, routes, { checkResponses: true });
    try {
      const cases = [
        ['wrong-field', /body\.count/],
        ['extra-field', /secretish/],
        ['undeclared-status', /status 201 is not declared/],
      ] as const;
      for (const [kind, problem] of cases) {
        const res = await app.inject({ method: 'GET', url: `/test/answers/${kind}` });
        expect(res.statusCode).toBe(500);
        expect(res.json().error.message).toMatch(problem);
      }
      expect(app.responseMismatches.map((m) => m.route)).toEqual(Array(3).fill('GET /test/answers/:kind'));
    } finally {
      await app.close();
    }
  });

  it('production does not check: the same answer goes out unchanged', async () => {
    const app = await buildApp(gh.server.runtime, routes);
    try {
      const res = await app.inject({ method: 'GET', url: '/test/answers/wrong-field' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ count: 'one' });
    } finally {
      await app.close();
    }
  });
});

describe('SDK types come from the same document', () => {
  it('packages/sdk/src/generated/api.ts is current (run `npm run gen:sdk-types` after changing a route)', async () => {
    const committed = readFileSync(SDK_TYPES_FILE, 'utf8');
    expect(await renderSdkTypes(doc)).toBe(committed);
  });
});

describe('GET /docs', () => {
  it('serves the reference page and its assets from this origin, under a CSP without inline scripts', async () => {
    const page = await gh.call('GET', '/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(page.text).not.toMatch(/<script>/);
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'init.js']) {
      const res = await gh.call('GET', `/docs/${asset}`);
      expect(res.status, asset).toBe(200);
    }
    expect((await gh.call('GET', '/docs/package.json')).status).toBe(404);
    expect((await gh.call('GET', '/docs/..%2fpackage.json')).status).toBe(404);
  });

  describe.skipIf(!hasChromium)('in a real browser (Chromium)', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launchChromium();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('renders the operations with no request leaving this origin and no CSP violation', async () => {
      const page = await browser.newPage();
      const origin = new URL(gh.url).origin;
      const foreign: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(origin) && !r.url().startsWith('data:')) foreign.push(r.url());
      });
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
      });
      await page.goto(`${gh.url}/docs`);
      await page.getByText('Gatehouse API').first().waitFor();
      await page.locator('.opblock-summary-path', { hasText: '/v1/tools/{slug}/execute' }).first().waitFor();
      expect(foreign).toEqual([]);
      expect(violations).toEqual([]);
      await page.close();
    });
  });
});
