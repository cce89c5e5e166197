import { applyDecorators } from '@nestjs/common';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsIn,
  Matches,
  ValidateBy,
  type ValidationOptions,
} from 'class-validator';

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

/** A list of distinct codes of one code list (at most as many as the list has). */
export function IsCodeList(codes: readonly string[]): PropertyDecorator {
  return applyDecorators(
    IsArray(),
    ArrayUnique({ message: '$property must not repeat a code' }),
    ArrayMaxSize(codes.length),
    IsIn(codes, { each: true, message: `each value of $property must be one of: ${codes.join(', ')}` }),
  );
}
