import type { FastifyInstance } from 'fastify';
import { CLS_REQ, ClsServiceManager, type ClsService } from 'nestjs-cls';

/** The key under which the request's context (nestjs-cls) holds the request id. */
export const REQUEST_ID = 'requestId';

/**
 * Every request's guards and handler run in a context of their own (nestjs-cls) that knows the request
 * and its id: audit events and log lines carry the id, and `@Transactional()` keeps its transaction
 * there. The context is entered in Fastify's last hook before the handler, for two reasons: a context
 * entered earlier would not survive reading the body (the stream's events fire outside it), and a
 * Fastify hook costs far less per request than nestjs-cls's own middleware, which runs through
 * Nest's middleware layer (@fastify/middie).
 */
export function runHandlersInRequestContext(fastify: FastifyInstance, cls: ClsService): void {
  fastify.addHook('preHandler', (request, _reply, done) => {
    cls.run(() => {
      cls.set(REQUEST_ID, request.id);
      cls.set(CLS_REQ, request.raw);
      done();
    });
  });
}

/** The id of the request being served, if the caller runs inside one (for log lines). */
export function currentRequestId(): string | undefined {
  const cls = ClsServiceManager.getClsService();
  return cls.isActive() ? cls.get<string | undefined>(REQUEST_ID) : undefined;
}
