import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemInstance } from '../http/request-id';
import { ProblemError } from './problem.error';
import type { ProblemType } from './problem-types';
import { driverErrorOf, toProblem } from './to-problem';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

export interface ProblemObserver {
  countProblem(type: string, status: number): void;
}

/**
 * The one place where anything thrown becomes an HTTP response: RFC 9457 problem+json with the
 * request id as `instance`. Registered globally; Nest also routes Fastify's own errors (body parsing,
 * size limit) here.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemFilter');

  constructor(
    private readonly retryAfterSeconds: number,
    private readonly observer: ProblemObserver,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    this.send(exception, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }

  /** Also for errors Fastify raises before any hook or route runs (app.setup.ts, frameworkErrors). */
  send(exception: unknown, request: FastifyRequest, reply: FastifyReply): void {
    const { problem, detail, extensions, headers, unexpected } = toProblem(exception, this.retryAfterSeconds);
    if (exception instanceof ProblemError && problem.status >= 500) {
      // Our own 503s (shutting down, not ready) are states, not faults: one line each, no stack trace,
      // so that a deployment or a readiness probe during an outage does not flood the error log.
      this.logger.warn({ requestId: request.id, status: problem.status, detail }, problem.title);
    } else if (unexpected || problem.status >= 500) {
      this.logger.error(
        { requestId: request.id, status: problem.status, cause: describeForLog(exception) },
        problem.title,
      );
    }
    this.observer.countProblem(problem.type, problem.status);
    if (reply.sent) {
      return;
    }
    void reply
      .status(problem.status)
      .headers({
        ...headers,
        'content-type': PROBLEM_CONTENT_TYPE,
        'cache-control': 'no-store',
        'x-request-id': request.id,
      })
      .send(problemBody(problem, detail, request.id, extensions));
  }
}

/** The RFC 9457 body: extension members, then our type, title, status and detail and the request id as `instance`. */
export function problemBody(
  problem: ProblemType,
  detail: string,
  requestId: string,
  extensions: Record<string, unknown> = {},
): Record<string, unknown> {
  // Extension members never replace the RFC 9457 members (an extension named `status` once did).
  return {
    ...extensions,
    type: problem.type,
    title: problem.title,
    status: problem.status,
    detail,
    instance: problemInstance(requestId),
  };
}

/**
 * What of an error may be logged. Database errors carry SQL parameters and constraint details that can
 * hold personal data, so only their SQLSTATE and object names are kept.
 */
export function describeForLog(exception: unknown): Record<string, unknown> {
  const driverError = driverErrorOf(exception) as Record<string, unknown> | undefined;
  if (driverError && typeof driverError.code === 'string' && /^[0-9A-Z]{5}$/.test(driverError.code)) {
    return {
      kind: 'database',
      sqlState: driverError.code,
      constraint: driverError.constraint,
      table: driverError.table,
      routine: driverError.routine,
    };
  }
  if (exception instanceof Error) {
    return { name: exception.name, code: (exception as { code?: unknown }).code, stack: exception.stack };
  }
  return { kind: typeof exception };
}
