import fc from 'fast-check';
import { listOperations, ResponseValidator, validValue, type OpenApiDocument } from './openapi';

const doc: OpenApiDocument = {
  openapi: '3.0.0',
  paths: {
    '/things/{id}': {
      get: {
        responses: {
          '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Thing' } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Parent: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      Thing: {
        type: 'object',
        required: ['id', 'status'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          status: { type: 'string', enum: ['A', 'B'], nullable: true },
          count: { type: 'integer', minimum: 1, maximum: 5 },
          on: { type: 'string', format: 'date' },
          parent: { type: 'object', nullable: true, allOf: [{ $ref: '#/components/schemas/Parent' }] },
        },
      },
    },
  },
};

describe('ResponseValidator', () => {
  const [operation] = listOperations(doc);
  const validator = new ResponseValidator(doc);
  const id = '0b6f3c1e-8a42-4d5e-9f17-6c2a8e4b1d90';

  it('accepts a body that matches, nullable enums included', () => {
    expect(validator.validate(operation, 200, { id, status: null, count: 2 })).toBeNull();
    expect(validator.validate(operation, 200, { id, status: 'A' })).toBeNull();
    expect(validator.validate(operation, 200, { id, status: 'A', parent: null })).toBeNull();
    expect(validator.validate(operation, 200, { id, status: 'A', parent: { name: 'x' } })).toBeNull();
  });

  it('refuses wrong types, values outside the enum, bad formats and undocumented fields', () => {
    expect(validator.validate(operation, 200, { id, status: 'C' })).toMatch(/status/);
    expect(validator.validate(operation, 200, { id: 'x', status: 'A' })).toMatch(/id/);
    expect(validator.validate(operation, 200, { id, status: 'A', secret: 1 })).toMatch(/secret/);
    expect(validator.validate(operation, 200, { id, status: 'A', parent: {} })).toMatch(/name/);
    expect(validator.validate(operation, 404, {})).toBe('status 404 is not documented');
  });
});

describe('validValue', () => {
  it('generates values that the schema accepts', () => {
    const [operation] = listOperations(doc);
    const validator = new ResponseValidator(doc);
    const things = fc.sample(
      validValue(doc.components.schemas.Thing, '', { doc, hints: () => undefined, today: '2026-12-06' }),
      { seed: 7, numRuns: 200 },
    );
    for (const thing of things) {
      expect(validator.validate(operation, 200, thing)).toBeNull();
    }
  });
});
