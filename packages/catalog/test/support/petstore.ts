/** Small hand-written OpenAPI documents that exercise what the importer must get right. */

export function petstore30(): object {
  return {
    openapi: '3.0.3',
    info: { title: 'Pet Store', version: '1.0.0' },
    security: [{ api_key: [] }],
    paths: {
      '/pets': {
        get: {
          operationId: 'listPets',
          summary: 'List pets',
          security: [],
          parameters: [
            { $ref: '#/components/parameters/limit' },
            {
              name: 'tags',
              in: 'query',
              description: 'Tags to filter by',
              schema: { type: 'array', items: { type: 'string' } },
              example: ['dog'],
            },
            {
              name: 'X-Request-Id',
              in: 'header',
              schema: { type: 'string', format: 'uuid', 'x-internal': true },
            },
            { name: 'session', in: 'cookie', schema: { type: 'string' } },
          ],
          responses: { '200': { description: 'OK' } },
        },
        post: {
          operationId: 'pets/create-pet',
          summary: 'Create a pet',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/NewPet' } } },
          },
          responses: { '201': { description: 'Created' } },
        },
      },
      '/pets/{petId}': {
        parameters: [{ $ref: '#/components/parameters/petId' }],
        get: {
          operationId: 'showPetById',
          summary: 'Info for a specific pet',
          security: [{ petstore_auth: ['pets:read'] }],
          responses: { '200': { description: 'OK' } },
        },
        patch: {
          operationId: 'updatePet',
          requestBody: { $ref: '#/components/requestBodies/PetPatch' },
          responses: { '200': { description: 'OK' } },
        },
        delete: { operationId: 'deletePet', responses: { '204': { description: 'Deleted' } } },
      },
      '/pets/{petId}/photo': {
        put: {
          operationId: 'putPhoto',
          parameters: [{ $ref: '#/components/parameters/petId' }],
          requestBody: {
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          },
          responses: { '204': { description: 'Stored' } },
        },
      },
      '/tags': {
        post: {
          operationId: 'uploadTags',
          requestBody: {
            description: 'Tags to add',
            required: true,
            content: { 'application/json': { schema: { type: 'array', items: { type: 'string' } } } },
          },
          responses: { '204': { description: 'Stored' } },
        },
      },
    },
    components: {
      securitySchemes: {
        api_key: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
        petstore_auth: {
          type: 'oauth2',
          flows: {
            authorizationCode: {
              authorizationUrl: 'https://pets.example/oauth/authorize',
              tokenUrl: 'https://pets.example/oauth/token',
              scopes: { 'pets:read': 'Read pets', 'pets:write': 'Write pets' },
            },
          },
        },
      },
      parameters: {
        petId: { name: 'petId', in: 'path', required: true, schema: { type: 'string' } },
        limit: {
          name: 'limit',
          in: 'query',
          description: 'How many items to return',
          schema: { type: 'integer', minimum: 0, exclusiveMinimum: true, maximum: 100, example: 20 },
        },
      },
      requestBodies: {
        PetPatch: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['name', 'id'],
                properties: {
                  id: { type: 'integer', readOnly: true },
                  name: { type: 'string' },
                  tag: { type: 'string', nullable: true, enum: ['a', 'b'] },
                  petId: { type: 'string', description: 'Microchip id' },
                  owner: { $ref: '#/components/schemas/Person' },
                },
              },
            },
          },
        },
      },
      schemas: {
        NewPet: {
          type: 'object',
          required: ['name'],
          properties: { name: { type: 'string' }, tag: { type: 'string' } },
          'x-vendor': 1,
          example: { name: 'Rex' },
        },
        Person: {
          type: 'object',
          discriminator: { propertyName: 'name' },
          required: ['name'],
          properties: {
            id: { type: 'integer', readOnly: true },
            name: { type: 'string' },
            friends: { type: 'array', items: { $ref: '#/components/schemas/Person' } },
          },
        },
      },
    },
  };
}

export function petstore31(): object {
  return {
    openapi: '3.1.0',
    info: { title: 'Pet Store', version: '2.0.0' },
    paths: {
      '/pets': {
        post: {
          operationId: 'createPet',
          requestBody: {
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: {
                    tag: { $ref: '#/components/schemas/Tag', description: 'Optional tag' },
                    kind: { const: 'dog', examples: ['dog'] },
                  },
                },
              },
            },
          },
          responses: { '201': { description: 'Created' } },
        },
      },
      '/pets/{petId}': {
        get: {
          operationId: 'showPetById',
          security: [{ oidc: ['openid', 'pets:read'] }],
          parameters: [
            {
              name: 'petId',
              in: 'path',
              required: true,
              description: 'The pet, by id',
              schema: { $ref: '#/components/schemas/PetId' },
            },
          ],
          responses: { '200': { description: 'OK' } },
        },
      },
    },
    components: {
      securitySchemes: {
        oidc: { type: 'openIdConnect', openIdConnectUrl: 'https://pets.example/.well-known' },
      },
      schemas: {
        PetId: { type: 'string', minLength: 1 },
        Tag: { type: ['string', 'null'], nullable: true, examples: ['x'] },
      },
    },
  };
}
