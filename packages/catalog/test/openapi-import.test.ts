import { describe, expect, it } from 'vitest';
import {
  buildRequest,
  type ImportConfig,
  importOpenApi,
  type ToolDefinition,
  type Toolkit,
} from '../src/index.js';
import { petstore30, petstore31 } from './support/petstore.js';

const config = (operations: ImportConfig['operations'], extra: Partial<ImportConfig> = {}): ImportConfig => ({
  toolkit: { id: 'pets', displayName: 'Pet Store', provider: 'sandbox' },
  operations,
  defaultScopes: ['pets:write'],
  ...extra,
});

function imported(spec: object, cfg: ImportConfig, warnings: string[] = []): Toolkit {
  const result = importOpenApi(spec, cfg, { warn: (m) => warnings.push(m) });
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

function tool(toolkit: Toolkit, slug: string): ToolDefinition {
  const found = toolkit.tools.find((t) => t.slug === slug);
  if (!found) throw new Error(`no ${slug} in ${toolkit.tools.map((t) => t.slug).join(', ')}`);
  return found;
}

describe('importing an OpenAPI 3.0 document', () => {
  const warnings: string[] = [];
  const toolkit = imported(petstore30(), config('all'), warnings);

  it('turns operationIds into slugs under the toolkit id and keeps operations that can be tools', () => {
    expect(toolkit.tools.map((t) => `${t.slug} ${t.http.method} ${t.http.path}`)).toEqual([
      'pets.list_pets GET /pets',
      'pets.pets.create_pet POST /pets',
      'pets.show_pet_by_id GET /pets/{petId}',
      'pets.update_pet PATCH /pets/{petId}',
      'pets.delete_pet DELETE /pets/{petId}',
      'pets.upload_tags POST /tags',
    ]);
    expect(warnings).toEqual([
      'paths./pets.get.parameters[3]: cookie parameter session left out (the broker controls it)',
      'paths./pets/{petId}/photo.put.requestBody: putPhoto skipped: Only JSON and form bodies are supported, not application/octet-stream',
    ]);
  });

  it('maps query, header and path parameters through their $refs, with 3.0 exclusive bounds translated', () => {
    const list = tool(toolkit, 'pets.list_pets');
    expect(list.input.properties).toEqual({
      limit: { description: 'How many items to return', type: 'integer', maximum: 100, exclusiveMinimum: 0 },
      tags: { description: 'Tags to filter by', type: 'array', items: { type: 'string' } },
      X_Request_Id: { type: 'string', format: 'uuid' },
    });
    expect(list.http).toEqual({
      method: 'GET',
      path: '/pets',
      query: { limit: 'limit', tags: 'tags' },
      headers: { 'X-Request-Id': 'X_Request_Id' },
    });
    expect(list.risk).toBe('read');
    const built = buildRequest(list, { tags: ['dog', 'cat'], limit: 2, X_Request_Id: 'r1' });
    expect(built.ok && built.value).toMatchObject({
      path: '/pets?limit=2&tags=dog&tags=cat',
      headers: { 'X-Request-Id': 'r1' },
    });
  });

  it('makes body properties arguments, prefixing one that clashes with a parameter', () => {
    const update = tool(toolkit, 'pets.update_pet');
    expect(Object.keys(update.input.properties)).toEqual(['petId', 'name', 'tag', 'body_petId', 'owner']);
    expect(update.input.required).toEqual(['petId', 'name']);
    expect(update.http.body).toEqual({
      fields: { name: 'name', tag: 'tag', petId: 'body_petId', owner: 'owner' },
    });
    const built = buildRequest(update, { petId: 'p/1', name: 'Rex', body_petId: 'chip-7' });
    expect(built.ok && built.value).toMatchObject({
      path: '/pets/p%2F1',
      body: { name: 'Rex', petId: 'chip-7' },
    });
  });

  it('translates nullable, drops read-only properties, examples and extensions, and ends recursion', () => {
    const update = tool(toolkit, 'pets.update_pet');
    expect(update.input.properties['tag']).toEqual({ type: ['string', 'null'], enum: ['a', 'b', null] });
    const owner = update.input.properties['owner'] as Record<string, unknown>;
    // Person.id is readOnly; Person.friends is a list of Person, which would never end.
    expect(owner).toEqual({
      type: 'object',
      properties: { name: { type: 'string' }, friends: { type: 'array', items: {} } },
      required: ['name'],
    });
    const text = JSON.stringify(toolkit);
    for (const dropped of ['x-internal', 'example', 'nullable', 'readOnly', 'discriminator']) {
      expect(text).not.toContain(dropped);
    }
  });

  it('sends a non-object body as one body argument', () => {
    const upload = tool(toolkit, 'pets.upload_tags');
    expect(upload.http.body).toEqual({ arg: 'body' });
    expect(upload.input.properties['body']).toEqual({
      description: 'Tags to add',
      type: 'array',
      items: { type: 'string' },
    });
    expect(upload.input.required).toEqual(['body']);
  });

  it('takes scopes from documented OAuth security, else from rules and defaults; risk from the method', () => {
    expect(tool(toolkit, 'pets.show_pet_by_id').scopes).toEqual(['pets:read']);
    expect(tool(toolkit, 'pets.list_pets').scopes).toEqual([]); // security: [] means public
    expect(tool(toolkit, 'pets.pets.create_pet').scopes).toEqual(['pets:write']);
    expect(tool(toolkit, 'pets.delete_pet').risk).toBe('destructive');
    const ruled = imported(
      petstore30(),
      config('all', {
        scopeRules: [{ match: { method: 'delete', pathPrefix: '/pets/' }, scopes: ['pets:admin'] }],
      }),
    );
    expect(tool(ruled, 'pets.delete_pet').scopes).toEqual(['pets:admin']);
    expect(tool(ruled, 'pets.update_pet').scopes).toEqual(['pets:write']);
  });

  it('gives the same toolkit, key order included, every time', () => {
    expect(JSON.stringify(imported(petstore30(), config('all')))).toBe(JSON.stringify(toolkit));
  });
});

describe('importing an OpenAPI 3.1 document', () => {
  const toolkit = imported(petstore31(), config('all'));

  it('keeps type arrays, lets a description sit next to a $ref, and reads OpenID Connect scopes', () => {
    const show = tool(toolkit, 'pets.show_pet_by_id');
    expect(show.input.properties['petId']).toEqual({
      description: 'The pet, by id',
      type: 'string',
      minLength: 1,
    });
    expect(show.scopes).toEqual(['openid', 'pets:read']);
    const create = tool(toolkit, 'pets.create_pet');
    expect(create.input.properties['tag']).toEqual({ type: ['string', 'null'], description: 'Optional tag' });
    expect(create.input.properties['kind']).toEqual({ const: 'dog' });
    expect(JSON.stringify(toolkit)).not.toContain('examples');
  });
});

describe('curating with an operation list', () => {
  it('applies slugs, descriptions, risk, scopes, omitted arguments, output and pagination from the config', () => {
    const toolkit = imported(
      petstore30(),
      config(
        [
          {
            operationId: 'listPets',
            slug: 'pets.list',
            description: 'Lists pets for the LLM.',
            omitArguments: ['X_Request_Id'],
            output: { pick: ['id', 'name'] },
          },
          { operationId: 'deletePet', risk: 'write', scopes: ['pets:delete'], pagination: null },
        ],
        { pagination: { style: 'page', queryParam: 'limit' } },
      ),
    );
    const [list, remove] = toolkit.tools;
    expect(list).toMatchObject({
      slug: 'pets.list',
      description: 'Lists pets for the LLM.',
      output: { pick: ['id', 'name'] },
      pagination: { style: 'page', pageArg: 'limit' },
    });
    expect(Object.keys(list?.input.properties ?? {})).toEqual(['limit', 'tags']);
    expect(remove).toMatchObject({ slug: 'pets.delete_pet', risk: 'write', scopes: ['pets:delete'] });
    expect(remove?.pagination).toBeUndefined();
  });

  it('renames arguments (the request keeps the document names), drops body properties through $refs, declares records', () => {
    const toolkit = imported(
      petstore30(),
      config([
        {
          operationId: 'updatePet',
          renameArguments: { tag: 'label' },
          omitBodyProperties: ['owner.friends'],
          records: { attributes: { name: 'String' } },
        },
      ]),
    );
    const update = tool(toolkit, 'pets.update_pet');
    expect(Object.keys(update.input.properties)).toEqual(['petId', 'name', 'label', 'body_petId', 'owner']);
    expect(update.http.body).toEqual({
      fields: { name: 'name', tag: 'label', petId: 'body_petId', owner: 'owner' },
    });
    // Person's recursive friends list is gone; its required name stays.
    expect(update.input.properties['owner']).toEqual({
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' } },
    });
    expect(update.records).toEqual({ attributes: { name: 'String' } });
    const built = buildRequest(update, { petId: 'p1', name: 'Rex', label: 'a' });
    expect(built.ok && built.value.body).toEqual({ name: 'Rex', tag: 'a' });
  });

  it('refuses a rename or a body omission that names nothing, or a required body property', () => {
    const issues = (op: Parameters<typeof config>[0]) => {
      const result = importOpenApi(petstore30(), config(op));
      return result.ok ? [] : result.error.issues;
    };
    expect(issues([{ operationId: 'updatePet', renameArguments: { colour: 'c' } }])).toEqual([
      { path: 'spec.paths./pets/{petId}.patch', message: 'renameArguments names no argument: colour' },
    ]);
    expect(issues([{ operationId: 'updatePet', omitBodyProperties: ['owner.name'] }])).toEqual([
      {
        path: 'spec.paths./pets/{petId}.patch.requestBody',
        message: 'omitBodyProperties: owner.name names no optional property',
      },
    ]);
    expect(issues([{ operationId: 'listPets', omitBodyProperties: ['name'] }])).toEqual([
      { path: 'spec.paths./pets.get', message: 'omitBodyProperties: the operation has no body' },
    ]);
  });

  it('refuses what it cannot map faithfully, naming where', () => {
    const result = importOpenApi(
      petstore30(),
      config([
        { operationId: 'putPhoto' },
        { operationId: 'feedPet' },
        { operationId: 'updatePet', omitArguments: ['name', 'colour'] },
      ]),
    );
    expect(result.ok ? [] : result.error.issues).toEqual([
      { path: 'config.operations[1].operationId', message: 'No operation feedPet in the spec' },
    ]);
    const mapped = importOpenApi(
      petstore30(),
      config([{ operationId: 'putPhoto' }, { operationId: 'updatePet', omitArguments: ['colour'] }]),
    );
    expect(mapped.ok ? [] : mapped.error.issues).toEqual([
      {
        path: 'spec.paths./pets/{petId}/photo.put.requestBody',
        message: 'Only JSON and form bodies are supported, not application/octet-stream',
      },
      { path: 'spec.paths./pets/{petId}.patch', message: 'omitArguments names no argument: colour' },
    ]);
    const required = importOpenApi(
      petstore30(),
      config([{ operationId: 'updatePet', omitArguments: ['name'] }]),
    );
    expect(!required.ok && required.error.message).toBe(
      'spec.paths./pets/{petId}.patch.requestBody: name is required and cannot be omitted',
    );
  });

  it('reports an invalid config, an unsupported version and an invalid result', () => {
    const badConfig = importOpenApi(petstore30(), { ...config('all'), operations: [] });
    expect(!badConfig.ok && badConfig.error.issues[0]?.path).toBe('config.operations');
    const swagger = importOpenApi({ swagger: '2.0', paths: {} }, config('all'));
    expect(!swagger.ok && swagger.error.message).toBe(
      'spec.openapi: Only OpenAPI 3.0.x and 3.1.x are supported',
    );
    const badSlug = importOpenApi(petstore30(), config([{ operationId: 'listPets', slug: 'animals.list' }]));
    expect(!badSlug.ok && badSlug.error.message).toBe(
      'toolkit.tools[0].slug: Must start with "pets." (the toolkit id)',
    );
  });
});
