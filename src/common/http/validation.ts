import { ValidationPipe } from '@nestjs/common';
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
