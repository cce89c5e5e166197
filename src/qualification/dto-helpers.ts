import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { Matches, ValidateBy, ValidateIf, type ValidationOptions } from 'class-validator';

// Request transforms and the date rule these DTOs were written with (ported from the former
// common/http/transforms.ts and validators.ts; to be replaced by common/http/validate.decorators).

/**
 * For `PATCH` bodies: the member may be left out, but when it is sent it is validated, so `null`
 * is refused for a field that cannot be emptied (unlike `@IsOptional()`, which lets `null` through).
 */
export function OptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/** Trims surrounding white space of a string member, so `" Berlin "` and `"Berlin"` are one name. */
export function Trim(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
}

/** `?active=true|false` → boolean; anything else is left as it is and refused by `@IsBoolean()`. */
export function BooleanQuery(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  );
}
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30). */
export function IsDateOnly(options?: ValidationOptions): PropertyDecorator {
  return applyDecorators(
    Matches(DATE_ONLY, { message: 'must be a date YYYY-MM-DD', ...options }),
    ValidateBy(
      {
        name: 'isExistingDate',
        validator: {
          validate: (value: unknown) => typeof value === 'string' && isExistingDate(value),
          defaultMessage: () => 'must be a date that exists',
        },
      },
      options,
    ),
  );
}
export function isExistingDate(value: string): boolean {
  if (!DATE_ONLY.test(value)) {
    return false;
  }
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
