import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import fc from 'fast-check';

/* eslint-disable @typescript-eslint/no-explicit-any -- OpenAPI documents are walked as plain JSON */
export type Schema = Record<string, any>;
export type OpenApiDocument = Record<string, any>;

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export interface Operation {
  method: string;
  /** OpenAPI form: `/api/v1/clients/{id}`. */
  path: string;
  operation: Schema;
  parameters: Schema[];
  /** The JSON request body schema (dereferenced one level), when the operation takes one. */
  requestSchema?: Schema;
  /** Every media type of the request body. */
  requestTypes: string[];
  requestRequired: boolean;
}

export function listOperations(doc: OpenApiDocument): Operation[] {
  const operations: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Schema>)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Schema | undefined;
      if (!operation) {
        continue;
      }
      const content = (operation.requestBody?.content ?? {}) as Record<string, Schema>;
      const json = content['application/json']?.schema as Schema | undefined;
      operations.push({
        method: method.toUpperCase(),
        path,
        operation,
        parameters: [...((item.parameters as Schema[]) ?? []), ...((operation.parameters as Schema[]) ?? [])],
        requestSchema: json ? deref(doc, json) : undefined,
        requestTypes: Object.keys(content),
        requestRequired: operation.requestBody?.required === true,
      });
    }
  }
  return operations.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

export function deref(doc: OpenApiDocument, schema: Schema): Schema {
  let current = schema;
  for (let depth = 0; typeof current?.$ref === 'string' && depth < 20; depth += 1) {
    const path = current.$ref.replace(/^#\//, '').split('/');
    current = path.reduce<Schema>(
      (node, key) => node?.[key.replace(/~1/g, '/').replace(/~0/g, '~')] as Schema,
      doc,
    );
  }
  if (current === undefined) {
    throw new Error(`unresolvable $ref ${String(schema.$ref)}`);
  }
  return current;
}

/** OpenAPI 3.0 schema → JSON Schema for Ajv: `nullable`, and (for responses) no undocumented properties. */
function toJsonSchema(schema: any, closeObjects: boolean): any {
  if (Array.isArray(schema)) {
    return schema.map((item): unknown => toJsonSchema(item, closeObjects));
  }
  if (schema === null || typeof schema !== 'object') {
    return schema;
  }
  const result: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (
      key === 'example' ||
      key === 'examples' ||
      key === 'nullable' ||
      key === 'xml' ||
      key === 'externalDocs'
    ) {
      continue;
    }
    if (key === '$ref' && typeof value === 'string') {
      result.$ref = value.replace(/^#\/components\//, 'openapi#/components/');
      continue;
    }
    result[key] =
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as Schema).map(([name, property]) => [
              name,
              toJsonSchema(property, closeObjects),
            ]),
          )
        : toJsonSchema(value, closeObjects);
  }
  if (
    closeObjects &&
    result.type === 'object' &&
    result.properties !== undefined &&
    result.additionalProperties === undefined
  ) {
    result.additionalProperties = false;
  }
  if (schema.nullable === true) {
    // With a composition (nestjs/swagger writes a nullable object as `allOf: [$ref]`), null is an
    // alternative to the whole schema; otherwise it joins the type.
    const composed = ['allOf', 'oneOf', 'anyOf', '$ref'].some((key) => key in result);
    if (typeof result.type === 'string' && !composed) {
      result.type = [result.type, 'null'];
      if (Array.isArray(result.enum)) {
        result.enum = [...result.enum, null];
      }
    } else {
      return { anyOf: [result, { type: 'null' }] };
    }
  }
  return result;
}

/**
 * Validates response bodies against the document's response schemas. Objects are closed
 * (`additionalProperties: false` where the schema lists properties and says nothing else), so a
 * response field the description does not document is a finding too.
 */
export class ResponseValidator {
  private readonly ajv: Ajv;
  private readonly cache = new Map<string, ValidateFunction | null>();

  constructor(doc: OpenApiDocument) {
    this.ajv = new Ajv({ strict: false, allErrors: false, validateFormats: true });
    addFormats(this.ajv);
    this.ajv.addFormat('password', true);
    this.ajv.addSchema({ $id: 'openapi', components: toJsonSchema(doc.components ?? {}, true) });
  }

  /**
   * The documented response for a status (exact, then `4XX`-style, then `default`): the media type the
   * response came in (`received`, e.g. a report as text/csv) when the operation documents several, else
   * the first one.
   */
  documented(
    operation: Operation,
    status: number,
    received?: string,
  ): { contentType: string; schema?: Schema } | undefined {
    const responses = (operation.operation.responses ?? {}) as Record<string, Schema>;
    const response = responses[String(status)] ?? responses[`${String(status)[0]}XX`] ?? responses.default;
    if (!response) {
      return undefined;
    }
    const content = (response.content ?? {}) as Record<string, Schema>;
    const mediaType = received?.split(';')[0].trim().toLowerCase();
    const contentType = mediaType !== undefined && mediaType in content ? mediaType : Object.keys(content)[0];
    return contentType === undefined
      ? { contentType: '' }
      : { contentType, schema: content[contentType].schema as Schema | undefined };
  }

  /** `null` when the body matches the schema documented for this status, else a short reason. */
  validate(operation: Operation, status: number, body: unknown, received?: string): string | null {
    const contentType = this.documented(operation, status, received)?.contentType ?? '';
    const key = `${operation.method} ${operation.path} ${status} ${contentType}`;
    let validate = this.cache.get(key);
    if (validate === undefined) {
      const documented = this.documented(operation, status, received);
      try {
        validate = documented?.schema ? this.ajv.compile(toJsonSchema(documented.schema, true)) : null;
      } catch (error) {
        // A schema Ajv cannot compile is a defect of the description itself.
        return `the documented schema is not valid: ${error instanceof Error ? error.message : String(error)}`;
      }
      this.cache.set(key, validate);
    }
    if (validate === null) {
      return this.documented(operation, status, received) ? null : `status ${status} is not documented`;
    }
    if (validate(body)) {
      return null;
    }
    const [error] = validate.errors ?? [];
    const extra =
      error?.params && 'additionalProperty' in error.params
        ? ` (${String(error.params.additionalProperty)})`
        : '';
    return `${error?.instancePath || '/'} ${error?.message ?? 'invalid'}${extra}`;
  }
}

/** Values for properties and parameters that must name real objects (uuid fields by name). */
export type Hints = (name: string, schema: Schema) => fc.Arbitrary<unknown> | undefined;

export interface ArbitraryOptions {
  doc: OpenApiDocument;
  hints: Hints;
  /** Berlin "today", YYYY-MM-DD. */
  today: string;
}

function shiftDays(date: string, days: number): string {
  const day = new Date(`${date}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

/**
 * A fast-check arbitrary of values that match a schema (aiming at what the service accepts:
 * documented examples often, dates near today, real object ids for uuid fields named in `hints`).
 */
export function validValue(
  schema: Schema,
  name: string,
  options: ArbitraryOptions,
  depth = 0,
): fc.Arbitrary<unknown> {
  const resolved = deref(options.doc, schema);
  const hinted = options.hints(name, resolved);
  if (hinted) {
    return hinted;
  }
  const base = baseValue(resolved, name, options, depth);
  const withExample =
    resolved.example !== undefined && resolved.type !== 'object'
      ? fc.oneof(
          { arbitrary: fc.constant(resolved.example as unknown), weight: 2 },
          { arbitrary: base, weight: 3 },
        )
      : base;
  return resolved.nullable === true
    ? fc.oneof({ arbitrary: withExample, weight: 5 }, { arbitrary: fc.constant(null), weight: 1 })
    : withExample;
}

function baseValue(
  schema: Schema,
  name: string,
  options: ArbitraryOptions,
  depth: number,
): fc.Arbitrary<unknown> {
  for (const combinator of ['allOf', 'oneOf', 'anyOf'] as const) {
    if (Array.isArray(schema[combinator]) && schema[combinator].length > 0) {
      if (combinator === 'allOf') {
        return validValue(
          Object.assign({}, ...schema.allOf.map((part: Schema) => deref(options.doc, part))) as Schema,
          name,
          options,
          depth,
        );
      }
      return fc.oneof(
        ...(schema[combinator] as Schema[]).map((part) => validValue(part, name, options, depth)),
      );
    }
  }
  if (Array.isArray(schema.enum) && schema.enum.length > 0) {
    return fc.constantFrom(...(schema.enum as unknown[]).filter((value) => value !== null));
  }
  switch (schema.type) {
    case 'boolean':
      return fc.boolean();
    case 'integer':
    case 'number': {
      const min = typeof schema.minimum === 'number' ? schema.minimum : 0;
      const max = typeof schema.maximum === 'number' ? schema.maximum : Math.max(min + 1000, 1000);
      return schema.type === 'integer'
        ? fc.integer({ min: Math.ceil(min), max: Math.floor(Math.min(max, Number.MAX_SAFE_INTEGER)) })
        : fc
            .double({ min, max, noNaN: true, noDefaultInfinity: true })
            .map((value) => Math.round(value * 100) / 100);
    }
    case 'array': {
      const minLength = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const maxLength = Math.min(
        typeof schema.maxItems === 'number' ? schema.maxItems : minLength + 3,
        minLength + 3,
      );
      const items = validValue((schema.items as Schema) ?? {}, name, options, depth + 1);
      return schema.uniqueItems === true
        ? fc.uniqueArray(items, { minLength, maxLength, selector: (value) => JSON.stringify(value) })
        : fc.array(items, { minLength, maxLength });
    }
    case 'object':
      return objectValue(schema, options, depth);
    case 'string':
    default:
      if (schema.type === undefined && schema.properties) {
        return objectValue(schema, options, depth);
      }
      return stringValue(schema, options);
  }
}

function objectValue(schema: Schema, options: ArbitraryOptions, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  if (depth > 4) {
    return fc.constant({});
  }
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const [key, property] of Object.entries(properties)) {
    model[key] = validValue(property, key, options, depth + 1);
  }
  const required = ((schema.required as string[]) ?? []).filter((key) => key in model);
  return fc.record(model, { requiredKeys: required });
}

function stringValue(schema: Schema, options: ArbitraryOptions): fc.Arbitrary<unknown> {
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = Math.min(
    typeof schema.maxLength === 'number' ? schema.maxLength : 40,
    Math.max(minLength, 40),
  );
  switch (schema.format) {
    case 'uuid':
      return fc.uuid({ version: 4 });
    case 'date':
      return fc.oneof(
        {
          arbitrary: fc.integer({ min: -60, max: 0 }).map((days) => shiftDays(options.today, days)),
          weight: 4,
        },
        {
          arbitrary: fc.integer({ min: 1, max: 400 }).map((days) => shiftDays(options.today, days)),
          weight: 1,
        },
      );
    case 'date-time':
      return fc
        .integer({ min: -400, max: 30 })
        .map((days) => `${shiftDays(options.today, days)}T09:30:00.000Z`);
    case 'email':
      return fc
        .tuple(
          fc.stringMatching(/^[a-z][a-z0-9.]{1,12}[a-z0-9]$/),
          fc.constantFrom('example.org', 'beispiel.de'),
        )
        .map(([local, domain]) => `${local.replace(/\.\.+/g, '.')}@${domain}`);
    case 'password':
      return fc.string({
        minLength: Math.max(12, minLength),
        maxLength: Math.max(12, Math.min(maxLength, 64)),
        unit: 'grapheme-ascii',
      });
    default:
      break;
  }
  if (typeof schema.pattern === 'string') {
    try {
      return fc
        .stringMatching(new RegExp(schema.pattern))
        .filter((value) => value.length >= minLength && value.length <= (schema.maxLength ?? Infinity));
    } catch {
      // a pattern JavaScript cannot compile: plain strings
    }
  }
  return fc.string({
    minLength: Math.max(minLength, 1),
    maxLength: Math.max(minLength, 1, maxLength),
    unit: 'grapheme',
  });
}
