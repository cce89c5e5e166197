import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { QueryRunnerAlreadyReleasedError } from 'typeorm';
import { ProblemError } from './problem.error';
import { ProblemTypes, type ProblemType } from './problem-types';

/** What the filter sends: the problem kind, a human detail, extension members and headers. */
export interface ProblemResponse {
  problem: ProblemType;
  detail: string;
  extensions: Record<string, unknown>;
  headers: Record<string, string>;
  /** Only for unexpected errors, which the filter logs with their (sanitised) cause. */
  unexpected: boolean;
}

const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/** Messages node-postgres uses for a lost connection or an exhausted pool; it gives them no code. */
const CONNECTION_ERROR_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection is not established',
  'Cannot use a pool after calling end',
];

/**
 * Maps anything thrown while serving a request to a problem. Pure, so each branch is unit-tested;
 * details are our own words: no driver message, SQL or stack ever reaches a response.
 */
export function toProblem(exception: unknown, retryAfterSeconds: number): ProblemResponse {
  if (exception instanceof ProblemError) {
    return {
      problem: exception.problem,
      detail: exception.detail,
      extensions: exception.options.extensions ?? {},
      headers: exception.options.headers ?? {},
      unexpected: false,
    };
  }
  if (exception instanceof QueryRunnerAlreadyReleasedError) {
    // TypeORM releases a transaction's runner when its connection fails (terminated backend, database
    // restart); the next statement, often COMMIT, then throws this. Nothing was committed: retryable.
    return expected(
      ProblemTypes.serviceUnavailable,
      'The database connection was lost. Please retry later.',
      {
        headers: { 'retry-after': String(retryAfterSeconds) },
      },
    );
  }
  const database = databaseProblem(exception, retryAfterSeconds);
  if (database) {
    return database;
  }
  if (exception instanceof HttpException) {
    return httpExceptionProblem(exception);
  }
  return expected(ProblemTypes.internal, ProblemTypes.internal.description, { unexpected: true });
}

function expected(
  problem: ProblemType,
  detail: string,
  options: Partial<Pick<ProblemResponse, 'headers' | 'extensions' | 'unexpected'>> = {},
): ProblemResponse {
  return { problem, detail, extensions: {}, headers: {}, unexpected: false, ...options };
}

interface DriverErrorShape {
  code?: unknown;
  detail?: unknown;
  message?: unknown;
  driverError?: unknown;
}

/** TypeORM wraps driver errors (QueryFailedError.driverError); unwrap to the pg error. */
export function driverErrorOf(exception: unknown): DriverErrorShape | undefined {
  if (typeof exception !== 'object' || exception === null) {
    return undefined;
  }
  const shape = exception as DriverErrorShape;
  if (typeof shape.driverError === 'object' && shape.driverError !== null) {
    return shape.driverError;
  }
  return shape;
}

function databaseProblem(exception: unknown, retryAfterSeconds: number): ProblemResponse | undefined {
  const error = driverErrorOf(exception);
  if (!error) {
    return undefined;
  }
  const code = typeof error.code === 'string' ? error.code : '';
  const message = typeof error.message === 'string' ? error.message : '';
  const unavailable = (detail: string) =>
    expected(ProblemTypes.serviceUnavailable, detail, {
      headers: { 'retry-after': String(retryAfterSeconds) },
    });

  if (/^[0-9A-Z]{5}$/.test(code)) {
    switch (code) {
      case '23505':
        return expected(ProblemTypes.conflict, 'A record with the same unique values already exists.');
      case '23503':
        return isStillReferenced(exception, error)
          ? expected(ProblemTypes.stillReferenced, 'The record is still referenced by other records.')
          : expected(ProblemTypes.unprocessable, 'The request refers to a record that does not exist.');
      case '40001':
      case '40P01':
        return expected(
          ProblemTypes.concurrentUpdate,
          'Another request changed the same data at the same time. Please retry.',
        );
      case '57014':
        return unavailable('The database did not answer in time. Please retry later.');
      case '55P03':
        return unavailable('The data is locked by another operation. Please retry later.');
      case '53100':
        return unavailable(
          'The database has no storage space left, so nothing was saved. Please retry later.',
        );
      case '53400':
        return unavailable(
          'The request needed more temporary storage than the database allows. Please narrow it or retry later.',
        );
      case '57P01':
      case '57P02':
      case '57P03':
      case '53300':
        return unavailable('The database is temporarily unavailable. Please retry later.');
    }
    if (code.startsWith('08') || code.startsWith('53')) {
      return unavailable('The database is temporarily unavailable. Please retry later.');
    }
    if (code.startsWith('22') || code.startsWith('23')) {
      return expected(ProblemTypes.unprocessable, 'The data breaks a rule of the data model.');
    }
    return undefined;
  }
  if (CONNECTION_ERROR_CODES.has(code) || CONNECTION_ERROR_MESSAGES.some((text) => message.includes(text))) {
    return unavailable('The database is temporarily unavailable. Please retry later.');
  }
  return undefined;
}

/**
 * Nest's own exceptions, and Fastify's errors (body parsing, size limit, media type), which Nest hands
 * over as a plain `HttpException` carrying Fastify's status code.
 */
/**
 * A foreign-key violation is either a reference to a missing row (422) or the removal of a row that is
 * still referenced (409). PostgreSQL tells them apart only in its (translatable) message text, so the
 * statement TypeORM ran decides first, and the English text is the fallback for raw driver errors.
 */
function isStillReferenced(exception: unknown, error: DriverErrorShape): boolean {
  const query = (exception as { query?: unknown }).query;
  if (typeof query === 'string') {
    return /^\s*DELETE\b/i.test(query);
  }
  return typeof error.detail === 'string' && error.detail.includes('still referenced');
}

function httpExceptionProblem(exception: HttpException): ProblemResponse {
  const status = exception.getStatus();
  if (status === 404) {
    return expected(ProblemTypes.notFound, 'No such resource.');
  }
  if (status === 400 && exception.constructor === HttpException) {
    return expected(ProblemTypes.malformedBody, 'The body could not be parsed for its Content-Type.');
  }
  const problem =
    Object.values(ProblemTypes).find((candidate) => candidate.status === status) ??
    ({
      type: 'about:blank',
      title: STATUS_CODES[status] ?? 'Error',
      status,
      description: '',
    } satisfies ProblemType);
  if (status >= 500) {
    return expected(problem, problem.description, { unexpected: true });
  }
  const response = exception.getResponse();
  const message =
    typeof response === 'object' && response !== null && 'message' in response ? response.message : response;
  const detail = Array.isArray(message)
    ? message.join('; ')
    : typeof message === 'string'
      ? message
      : problem.title;
  return expected(problem, detail);
}
