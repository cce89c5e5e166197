import { Transform } from 'class-transformer';
import { ValidateIf } from 'class-validator';

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
