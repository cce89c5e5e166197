import {
  BadRequestException,
  HttpException,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { ProblemError, RequestValidationError } from './problem.error';
import { ProblemTypes } from './problem-types';
import { toProblem } from './to-problem';

function pgError(code: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error('driver text with "secret" values'), { code, ...extra });
}

function typeOf(exception: unknown): string {
  return toProblem(exception, 5).problem.type;
}

describe('toProblem', () => {
  it('passes domain problems through with their extensions and headers', () => {
    const error = new ProblemError('conflict', 'Already there', {
      extensions: { candidates: ['a'] },
      headers: { etag: '"3"' },
    });
    expect(toProblem(error, 5)).toEqual({
      problem: ProblemTypes.conflict,
      detail: 'Already there',
      extensions: { candidates: ['a'] },
      headers: { etag: '"3"' },
      unexpected: false,
    });
  });

  it('summarises validation errors and lists them as extension', () => {
    const one = toProblem(
      new RequestValidationError([{ pointer: '#/birthDate', detail: 'must be a date' }]),
      5,
    );
    expect(one.detail).toBe('birthDate: must be a date');
    expect(one.extensions.errors).toEqual([{ pointer: '#/birthDate', detail: 'must be a date' }]);
    const two = new RequestValidationError([
      { pointer: '#/a', detail: 'x' },
      { pointer: '#/b', detail: 'y' },
    ]);
    expect(toProblem(two, 5).detail).toBe('2 fields are not valid; see errors[].');
  });

  it.each([
    ['23505', 'urn:anker:problem:conflict'],
    ['40001', 'urn:anker:problem:concurrent-update'],
    ['40P01', 'urn:anker:problem:concurrent-update'],
    ['23502', 'urn:anker:problem:unprocessable'],
    ['23514', 'urn:anker:problem:unprocessable'],
    ['22P02', 'urn:anker:problem:unprocessable'],
  ])('maps SQLSTATE %s to %s', (code, type) => {
    expect(typeOf(pgError(code))).toBe(type);
  });

  it('tells a missing reference (422) from a row still referenced (409)', () => {
    const insert = new QueryFailedError('INSERT INTO child VALUES ($1)', [1], pgError('23503'));
    const remove = new QueryFailedError('DELETE FROM parent WHERE id = $1', [1], pgError('23503'));
    expect(typeOf(insert)).toBe('urn:anker:problem:unprocessable');
    expect(typeOf(remove)).toBe('urn:anker:problem:still-referenced');
    expect(typeOf(pgError('23503', { detail: 'Key (id)=(1) is still referenced from table "child".' }))).toBe(
      'urn:anker:problem:still-referenced',
    );
  });

  it.each([
    ['statement timeout', pgError('57014')],
    ['admin shutdown', pgError('57P01')],
    ['cannot connect now', pgError('57P03')],
    ['too many connections', pgError('53300')],
    ['connection failure', pgError('08006')],
    ['lock timeout', pgError('55P03')],
    [
      'connection refused',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ],
    ['lost connection', new Error('Connection terminated unexpectedly')],
    ['pool timeout', new Error('timeout exceeded when trying to connect')],
    ['wrapped lost connection', new QueryFailedError('SELECT 1', [], new Error('Connection terminated'))],
    // The connection died inside a transaction: TypeORM released its runner, COMMIT never ran.
    ['released query runner (connection lost mid-transaction)', new QueryRunnerAlreadyReleasedError()],
    ['disk full', pgError('53100')],
    ['temp_file_limit exceeded', pgError('53400')],
  ])('answers %s with 503 and Retry-After', (_name, exception) => {
    const result = toProblem(exception, 9);
    expect(result.problem).toBe(ProblemTypes.serviceUnavailable);
    expect(result.headers).toEqual({ 'retry-after': '9' });
  });

  it('says in its own words that the database has run out of space', () => {
    expect(toProblem(pgError('53100'), 5).detail).toBe(
      'The database has no storage space left, so nothing was saved. Please retry later.',
    );
    expect(toProblem(pgError('53400'), 5).detail).toBe(
      'The request needed more temporary storage than the database allows. Please narrow it or retry later.',
    );
  });

  it('maps framework exceptions by status', () => {
    expect(typeOf(new NotFoundException('Cannot GET /x'))).toBe('urn:anker:problem:not-found');
    expect(toProblem(new NotFoundException('Cannot GET /secret/path'), 5).detail).toBe('No such resource.');
    expect(typeOf(new PayloadTooLargeException())).toBe('urn:anker:problem:payload-too-large');
    expect(typeOf(new HttpException('Unsupported Media Type', 415))).toBe(
      'urn:anker:problem:unsupported-media-type',
    );
    expect(typeOf(new BadRequestException('Validation failed (uuid is expected)'))).toBe(
      'urn:anker:problem:validation-error',
    );
    // Fastify's parser errors arrive as a plain HttpException with status 400.
    expect(
      typeOf(new HttpException("Body is not valid JSON but content-type is set to 'application/json'", 400)),
    ).toBe('urn:anker:problem:malformed-body');
    expect(typeOf(new HttpException('I am a teapot', 418))).toBe('about:blank');
  });

  it('hides everything about unexpected errors', () => {
    const result = toProblem(new TypeError("Cannot read properties of undefined (reading 'name')"), 5);
    expect(result).toEqual({
      problem: ProblemTypes.internal,
      detail: ProblemTypes.internal.description,
      extensions: {},
      headers: {},
      unexpected: true,
    });
    expect(toProblem(pgError('XX000'), 5).problem).toBe(ProblemTypes.internal);
    expect(toProblem('a string', 5).problem).toBe(ProblemTypes.internal);
  });

  it('gives every problem kind a unique stable type', () => {
    const types = Object.values(ProblemTypes).map((problem) => problem.type);
    expect(new Set(types).size).toBe(types.length);
    for (const type of types) {
      expect(type).toMatch(/^urn:anker:problem:[a-z-]+$/);
    }
  });
});
