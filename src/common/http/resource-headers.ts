import type { Type } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';

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
export function ApiResourceResponse(type: Type<unknown>) {
  return ApiOkResponse({ type, description: 'The resource.', headers: ETAG });
}

/** 201 with the new versioned resource, its `Location` and `ETag`. */
export function ApiCreatedResourceResponse(type: Type<unknown>) {
  return ApiCreatedResponse({ type, description: 'Created.', headers: { ...LOCATION, ...ETAG } });
}

/** The `{id}` path parameter: a UUID (anything else answers 400). */
export function ApiIdParam(resource: string) {
  return ApiParam({ name: 'id', format: 'uuid', description: `The ${resource}.` });
}

/** `ETag: "<version>"` on every single-resource response. */
export function setEtag(reply: FastifyReply, resource: { version: number }): void {
  void reply.header('etag', `"${resource.version}"`);
}

/** `Location` (the path this POST was sent to, plus the new id) and `ETag` of a created resource. */
export function setCreated(
  request: FastifyRequest,
  reply: FastifyReply,
  resource: { id: string; version: number },
): void {
  void reply.header('location', `${request.url.split('?')[0].replace(/\/+$/, '')}/${resource.id}`);
  setEtag(reply, resource);
}
