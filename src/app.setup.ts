import type { IncomingMessage } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { ClsService } from 'nestjs-cls';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppModuleOptions } from './app.module';
import { ProblemError } from './common/errors/problem.error';
import { ProblemFilter } from './common/errors/problem.filter';
import {
  frameworkProblem,
  originForm,
  registerBodyParsers,
  writeClientErrorProblem,
} from './common/errors/request-limits';
import { ShutdownState } from './common/http/shutdown-state';
import { runHandlersInRequestContext } from './common/http/request-context';
import { setResourceHeaders } from './common/http/resource-headers';
import { securityHeaders } from './common/http/security-headers';
import { requestIdFor } from './common/http/request-id';
import { createValidationPipe } from './common/http/validation';
import { MetricsService } from './metrics/metrics.service';
import { buildOpenApiDocument } from './openapi/openapi';

export const API_PREFIX = 'api/v1';
export const UNPREFIXED_ROUTES = ['health/live', 'health/ready', 'metrics'];

/** Operations endpoints stay at the root; the API lives under /api/v1. */
export function configureRouting(app: NestFastifyApplication): void {
  app.setGlobalPrefix(API_PREFIX, { exclude: UNPREFIXED_ROUTES });
}

/** Builds the application exactly as it serves traffic; used by main.ts, the OpenAPI script and the tests. */
export async function createApp(options: AppModuleOptions): Promise<NestFastifyApplication> {
  const { config, logger } = options;
  // Set once the app exists; Fastify calls frameworkErrors only for requests, after start-up.
  const late: { problemFilter?: ProblemFilter } = {};
  const adapter = new FastifyAdapter({
    logger: false,
    genReqId: requestIdFor,
    requestIdHeader: false,
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy,
    // On shutdown, idle keep-alive connections are closed at once; requests in flight still complete.
    forceCloseConnections: 'idle',
    // Requests that still arrive while closing get a problem (onRequest below), not Fastify's own 503.
    return503OnClosing: false,
    rewriteUrl: (request: IncomingMessage) => originForm(request.url ?? '/'),
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
      late.problemFilter?.send(frameworkProblem(error), request, reply),
    clientErrorHandler: writeClientErrorProblem,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(options), adapter, {
    bufferLogs: true,
    // Our own parsers (request-limits.ts) instead of Nest's JSON and form parsers.
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.flushLogs();
  registerBodyParsers(app, config.http.bodyLimitBytes);

  const metrics = app.get(MetricsService);
  const problemFilter = new ProblemFilter(config.database.retryAfterSeconds, metrics);
  late.problemFilter = problemFilter;
  const fastify = app.getHttpAdapter().getInstance();
  const shutdown = app.get(ShutdownState);
  fastify.addHook('preClose', (done) => {
    shutdown.closing = true;
    done();
  });
  const security = securityHeaders();
  fastify.addHook('onRequest', async (request, reply) => {
    // Every answer, a refusal while shutting down too, carries the security headers and its id.
    void reply.headers(security).header('x-request-id', request.id);
    if (shutdown.closing) {
      void reply.header('connection', 'close');
      throw new ProblemError('serviceUnavailable', 'The service is shutting down. Please retry.', {
        headers: { 'retry-after': String(config.database.retryAfterSeconds) },
      });
    }
    // API answers hold personal data or credentials unless a route says otherwise (reference data does).
    if (request.url.startsWith(`/${API_PREFIX}/`)) {
      void reply.header('cache-control', 'no-store');
    }
  });
  runHandlersInRequestContext(fastify, app.get(ClsService));
  setResourceHeaders(fastify);
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    logger.info(
      {
        requestId: request.id,
        ...(request.raw.callerRequestId ? { callerRequestId: request.raw.callerRequestId } : {}),
        method: request.method,
        route,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request completed',
    );
  });

  const origins = config.http.corsOrigins;
  // Without allowed origins there is nothing for CORS to answer (a preflight is a 404 either way), so
  // its hook is not installed at all.
  if (origins.length > 0) {
    app.enableCors({
      origin: origins.includes('*') ? true : origins,
      exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id'],
      maxAge: 600,
    });
  }

  configureRouting(app);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(problemFilter);

  if (config.http.apiDocsEnabled) {
    SwaggerModule.setup('docs', app, buildOpenApiDocument(app), {
      jsonDocumentUrl: 'openapi.json',
      raw: ['json'],
      customSiteTitle: 'Anker API',
    });
  }
  return app;
}
