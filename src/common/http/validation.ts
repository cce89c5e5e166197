import { ValidationPipe, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { RequestValidationError, type FieldError } from '../errors/problem.error';

function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Flattens class-validator's error tree into JSON pointers: `#/qualifications/0/country`. */
export function toFieldErrors(errors: ValidationError[], parent = '#'): FieldError[] {
  return errors.flatMap((error) => {
    const pointer = `${parent}/${escapePointerToken(error.property)}`;
    const own = Object.values(error.constraints ?? {}).map((detail) => ({
      pointer,
      detail: detail.startsWith(`${error.property} `) ? detail.slice(error.property.length + 1) : detail,
    }));
    return [...own, ...toFieldErrors(error.children ?? [], pointer)];
  });
}

/**
 * Global validation: unknown properties are refused (mass assignment answers 400, it is never
 * silently dropped) and failures become a `validation-error` problem with one pointer per field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new RequestValidationError(toFieldErrors(errors)),
  });
}

/**
 * A path parameter that is no UUID but must match `pattern` (so that a stray character such as
 * U+0000 answers 400 here instead of failing in PostgreSQL): `@Param('clientId', new MatchesPipe(…))`.
 */
export class MatchesPipe implements PipeTransform<unknown, string> {
  constructor(
    private readonly pattern: RegExp,
    private readonly detail: string,
  ) {}

  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value === 'string' && this.pattern.test(value)) {
      return value;
    }
    throw new RequestValidationError([{ pointer: `#/${metadata.data ?? ''}`, detail: this.detail }]);
  }
}
