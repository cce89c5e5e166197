import { applyDecorators, type Type } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { etagOf } from './concurrency';
import { RouteConfigEntries } from './route-config';

const ETAG = {
  ETag: {
    description: 'The version of the resource as an entity tag, `"<version>"`.',
    schema: { type: 'string', example: '"1"' },
  },
};

const LOCATION = {
  Location: {
    description: 'Path of the new resource.',
    schema: { type: 'string', example: '/api/v1/networks/0b6f3c1e-8a42-4d5e-9f17-6c2a8e4b1d90' },
  },
};

/** 200 with a single versioned resource (and its `ETag`). */
function ApiResourceResponse(type: Type<unknown>) {
  return ApiOkResponse({ type, description: 'The resource.', headers: ETAG });
}

/** 201 with the new versioned resource, its `Location` and `ETag`. */
function ApiCreatedResourceResponse(type: Type<unknown>) {
  return ApiCreatedResponse({ type, description: 'Created.', headers: { ...LOCATION, ...ETAG } });
}

/** The `{id}` path parameter: a UUID (anything else answers 400). */
export function ApiIdParam(resource: string) {
  return ApiParam({ name: 'id', format: 'uuid', description: `The ${resource}.` });
}

/** `ETag: "<version>"` of a single-resource response. */
function setEtag(reply: FastifyReply, resource: { version: number }): void {
  void reply.header('etag', etagOf(resource.version));
}

/** `Location`: the path this POST was sent to (without the query), plus the new id. */
function setLocation(request: FastifyRequest, reply: FastifyReply, resource: { id: string }): void {
  void reply.header('location', `${request.url.split('?')[0].replace(/\/+$/, '')}/${resource.id}`);
}

function isVersioned(value: unknown): value is { id: string; version: number } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { id?: unknown }).id === 'string' &&
    typeof (value as { version?: unknown }).version === 'number'
  );
}

type ResourceHeaders = 'created' | 'version';
const RESOURCE_HEADERS = 'resourceHeaders';

/**
 * Sets `ETag` (and for a creation `Location`) from the resource a route marked by `@CreatedResource()`
 * or `@VersionedResource()` answers, so handlers do not take the reply for it. A Fastify hook rather
 * than a Nest interceptor: it runs on the body about to be sent, at a fraction of the cost. An
 * `@Idempotent()` replay answers the first response's body, so it gets the same headers.
 */
export function setResourceHeaders(fastify: FastifyInstance): void {
  fastify.addHook('preSerialization', (request, reply, payload, done) => {
    const marked = (request.routeOptions.config as { [RESOURCE_HEADERS]?: ResourceHeaders })[
      RESOURCE_HEADERS
    ];
    if (marked !== undefined && reply.statusCode < 300 && isVersioned(payload)) {
      if (marked === 'created') {
        setLocation(request, reply, payload);
      }
      setEtag(reply, payload);
    }
    done(null, payload);
  });
}

/** A route answering 201 with the new versioned resource: its `Location` and `ETag`, documented. */
export function CreatedResource(type: Type<unknown>) {
  return applyDecorators(
    RouteConfigEntries({ [RESOURCE_HEADERS]: 'created' }),
    ApiCreatedResourceResponse(type),
  );
}

/** A route answering 200 with one versioned resource: its `ETag`, documented. */
export function VersionedResource(type: Type<unknown>) {
  return applyDecorators(RouteConfigEntries({ [RESOURCE_HEADERS]: 'version' }), ApiResourceResponse(type));
}
