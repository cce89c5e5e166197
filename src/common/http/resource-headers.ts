import {
  applyDecorators,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
  type Type,
} from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiParam } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { tap, type Observable } from 'rxjs';
import { etagOf } from './concurrency';

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

/**
 * Sets `ETag` (and for a creation `Location`) from the resource the handler returns, so handlers do
 * not take the reply for it. It works on either side of `@Idempotent()`: inside, the headers are set
 * before the response is kept for replays; outside, a replay gets them from the replayed body, which
 * is the same resource.
 */
class ResourceHeadersInterceptor implements NestInterceptor {
  constructor(private readonly created: boolean) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      tap((resource: unknown) => {
        if (!isVersioned(resource)) {
          return;
        }
        if (this.created) {
          setLocation(request, reply, resource);
        }
        setEtag(reply, resource);
      }),
    );
  }
}

const CREATED_HEADERS = new ResourceHeadersInterceptor(true);
const VERSION_HEADERS = new ResourceHeadersInterceptor(false);

/** A route answering 201 with the new versioned resource: its `Location` and `ETag`, documented. */
export function CreatedResource(type: Type<unknown>) {
  return applyDecorators(UseInterceptors(CREATED_HEADERS), ApiCreatedResourceResponse(type));
}

/** A route answering 200 with one versioned resource: its `ETag`, documented. */
export function VersionedResource(type: Type<unknown>) {
  return applyDecorators(UseInterceptors(VERSION_HEADERS), ApiResourceResponse(type));
}
