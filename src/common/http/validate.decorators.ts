import { applyDecorators, type Type } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform, Type as TransformType } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  isEmail,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

/*
 * One decorator per request member states its type, format, bounds, presence and nullability once:
 * the same options drive the class-validator rules and the OpenAPI schema, so they cannot drift
 * apart. Every member of a request or query class uses one of these (or a composite built on
 * `Field`), never a stacked `@ApiProperty` + class-validator pair.
 */

/** Presence and documentation options shared by every member decorator. */
export interface FieldOptions {
  /**
   * The member may be left out. Unless it is also `nullable`, `null` is refused: a `PATCH` member that
   * cannot be emptied, or a query parameter.
   */
  optional?: boolean;
  /** `null` is a value (it empties the member). */
  nullable?: boolean;
  description?: string;
  example?: unknown;
  /** Documents the value the service uses when the member is left out. */
  default?: unknown;
}

/** The schema a member decorator documents beside presence, nullability and the texts. */
type Schema = Omit<ApiPropertyOptions, 'required' | 'nullable' | 'description' | 'example' | 'default'>;

const PRESENCE = 'presence';

/**
 * `undefined` on a required member → "is required"; `null` on a member that is not nullable → "must
 * not be null". Whatever the options skip never reaches the rules below.
 */
function Presence(optional: boolean, nullable: boolean): PropertyDecorator {
  return applyDecorators(
    ValidateIf((_object: object, value: unknown) => {
      if (value === undefined) {
        return !optional;
      }
      return !(value === null && nullable);
    }),
    ValidateBy({
      name: PRESENCE,
      validator: {
        validate: (value: unknown) => value !== undefined && value !== null,
        defaultMessage: (arguments_) => (arguments_?.value === null ? 'must not be null' : 'is required'),
      },
    }),
  );
}

/**
 * The building block of every member decorator (and of module-specific ones such as a country code):
 * presence and nullability from `options`, `schema` for the document, `rules` for the value.
 */
export function Field(
  options: FieldOptions,
  schema: Schema,
  ...rules: PropertyDecorator[]
): PropertyDecorator {
  const optional = options.optional ?? false;
  const nullable = options.nullable ?? false;
  const documented: ApiPropertyOptions = {
    ...schema,
    required: !optional,
    ...(nullable ? { nullable: true } : {}),
    ...(options.description === undefined ? {} : { description: options.description }),
    ...(options.example === undefined ? {} : { example: options.example }),
    ...(options.default === undefined ? {} : { default: options.default }),
  } as ApiPropertyOptions;
  return applyDecorators(ApiProperty(documented), Presence(optional, nullable), ...rules);
}

/** Member decorators take `FieldOptions` and their own bounds. */
type With<Extra> = FieldOptions & Extra;

/** A UTF-16 surrogate without its partner: not a character, and not encodable as UTF-8. */
const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * Refuses U+0000 (PostgreSQL cannot store it in text, so it would fail there as a data-model error)
 * and lone surrogates (JSON's `\ud800` escapes: UTF-8 has no encoding for them, the driver would store
 * U+FFFD instead, and some validators throw on them).
 */
function NoNulCharacter(): PropertyDecorator {
  return ValidateBy({
    name: 'noNulCharacter',
    validator: {
      validate: (value: unknown) =>
        typeof value !== 'string' || (!value.includes('\u0000') && !LONE_SURROGATE.test(value)),
      defaultMessage: (arguments_) =>
        String(arguments_?.value).includes('\u0000')
          ? 'must not contain the NUL character (U+0000)'
          : 'must be well-formed Unicode text (it contains a lone surrogate)',
    },
  });
}

/** An e-mail address; text that is not well-formed Unicode is none (class-validator's check throws on it). */
function IsEmailAddress(): PropertyDecorator {
  return ValidateBy({
    name: 'isEmail',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && !LONE_SURROGATE.test(value) && isEmail(value),
      defaultMessage: () => 'must be an e-mail address',
    },
  });
}

/** Trims surrounding white space, so `" Berlin "` and `"Berlin"` are one name. */
function TrimString(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));
}

export interface StringBounds {
  /** Fewest characters (after trimming). */
  min?: number;
  max?: number;
  /** Trim surrounding white space before the checks (and before storing). */
  trim?: boolean;
  pattern?: RegExp;
  /** What the caller reads when the pattern does not match. */
  patternMessage?: string;
  format?: string;
}

/** A string (never with U+0000), optionally trimmed, bounded in length and matched against a pattern. */
export function ValidateString(options: With<StringBounds> = {}): PropertyDecorator {
  const { min, max, trim, pattern, patternMessage, format } = options;
  return Field(
    options,
    {
      type: String,
      ...(min === undefined ? {} : { minLength: min }),
      ...(max === undefined ? {} : { maxLength: max }),
      ...(pattern === undefined ? {} : { pattern: pattern.source }),
      ...(format === undefined ? {} : { format }),
    },
    ...(trim ? [TrimString()] : []),
    IsString(),
    NoNulCharacter(),
    ...(min === undefined ? [] : [MinLength(min)]),
    ...(max === undefined ? [] : [MaxLength(max)]),
    ...(pattern === undefined
      ? []
      : [Matches(pattern, patternMessage === undefined ? {} : { message: patternMessage })]),
  );
}

/** An e-mail address (trimmed), `min` (default 3, as in `a@b`) to `max` characters. */
export function ValidateEmail(options: With<{ min?: number; max: number }>): PropertyDecorator {
  const min = options.min ?? 3;
  return Field(
    options,
    { type: String, format: 'email', minLength: min, maxLength: options.max },
    TrimString(),
    IsString(),
    NoNulCharacter(),
    IsEmailAddress(),
    MinLength(min),
    MaxLength(options.max),
  );
}

/** One code of `values`. */
export function ValidateEnum(options: With<{ values: readonly string[] }>): PropertyDecorator {
  return Field(
    options,
    { type: String, enum: [...options.values] },
    IsIn(options.values, { message: `must be one of: ${options.values.join(', ')}` }),
  );
}

/** A list of distinct codes of one code list (at most as many as the list has). */
export function ValidateCodeList(
  options: With<{ values: readonly string[]; minItems?: number }>,
): PropertyDecorator {
  const { values, minItems } = options;
  return Field(
    options,
    {
      type: String,
      enum: [...values],
      isArray: true,
      uniqueItems: true,
      maxItems: values.length,
      ...(minItems === undefined ? {} : { minItems }),
    },
    IsArray({ message: 'must be a list of codes' }),
    ArrayUnique({ message: 'must not repeat a code' }),
    ...(minItems === undefined
      ? []
      : [
          ArrayMinSize(minItems, {
            message: `must name at least ${minItems} code${minItems === 1 ? '' : 's'}`,
          }),
        ]),
    ArrayMaxSize(values.length),
    IsIn(values, { each: true, message: `each value must be one of: ${values.join(', ')}` }),
  );
}

/** A UUID (any version). */
export function ValidateUUID(options: FieldOptions = {}): PropertyDecorator {
  return Field(options, { type: String, format: 'uuid' }, IsUUID('all', { message: 'must be a UUID' }));
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** `YYYY-MM-DD` naming a day of the Gregorian calendar (no 2026-02-30, no 2026-13-01). */
export function isCalendarDate(value: string): boolean {
  if (!DATE_ONLY.test(value)) {
    return false;
  }
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A calendar date `YYYY-MM-DD` that exists. */
export function ValidateDate(options: FieldOptions = {}): PropertyDecorator {
  return Field(
    options,
    { type: String, format: 'date' },
    IsString({ message: 'must be a date YYYY-MM-DD' }),
    ValidateBy({
      name: 'isCalendarDate',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isCalendarDate(value),
        defaultMessage: (arguments_) =>
          typeof arguments_?.value === 'string' && DATE_ONLY.test(arguments_.value)
            ? 'must be a date that exists'
            : 'must be a date YYYY-MM-DD',
      },
    }),
  );
}

/** Date, time (seconds and up to six fraction digits optional) and a time zone: `Z` or `±hh:mm`. */
const INSTANT = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/**
 * An ISO 8601 instant with a time zone whose every part exists: a calendar date, hour 00–23, minute
 * and second 00–59, a zone offset up to ±23:59. `2026-02-30T10:00:00Z` is not one.
 */
export function isCalendarInstant(value: string): boolean {
  const match = INSTANT.exec(value);
  if (!match) {
    return false;
  }
  const [, date, hour, minute, second, offsetHours, offsetMinutes] = match;
  return (
    isCalendarDate(date) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second ?? 0) <= 59 &&
    Number(offsetHours ?? 0) <= 23 &&
    Number(offsetMinutes ?? 0) <= 59
  );
}

const INSTANT_MESSAGE = 'must be an ISO 8601 instant with a time zone, e.g. 2026-11-22T09:30:00Z';

/** An instant (`date-time`) that exists in the calendar, with a time zone. */
export function ValidateInstant(options: FieldOptions = {}): PropertyDecorator {
  return Field(
    options,
    { type: String, format: 'date-time' },
    ValidateBy({
      name: 'isCalendarInstant',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isCalendarInstant(value),
        defaultMessage: (arguments_) =>
          typeof arguments_?.value === 'string' && INSTANT.test(arguments_.value)
            ? 'must be an instant that exists (a real calendar date and time of day)'
            : INSTANT_MESSAGE,
      },
    }),
  );
}

/** `?name=12` arrives as a string: digits become a number, anything else stays and is refused. */
function NumberFromQuery(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value,
  );
}

export interface NumberBounds {
  min?: number;
  max?: number;
  /** A query parameter: the text `12` is read as the number 12 (in a JSON body it is refused). */
  query?: boolean;
}

/** An integer within `min`..`max`. */
export function ValidateInt(options: With<NumberBounds> = {}): PropertyDecorator {
  const { min, max, query } = options;
  return Field(
    options,
    {
      type: 'integer',
      ...(min === undefined ? {} : { minimum: min }),
      ...(max === undefined ? {} : { maximum: max }),
    },
    ...(query ? [NumberFromQuery()] : []),
    IsInt({ message: 'must be an integer' }),
    ...(min === undefined ? [] : [Min(min)]),
    ...(max === undefined ? [] : [Max(max)]),
  );
}

/**
 * Decimal places of a number, also in exponent notation (`1e-9` has 9). class-validator's own
 * `IsNumber({ maxDecimalPlaces })` throws on such numbers (it looks for a ".") — a 500 the
 * verification suite's fuzzing found.
 */
export function decimalPlaces(value: number): number {
  const [mantissa, exponent = '0'] = value.toString().toLowerCase().split('e');
  return Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent));
}

/** A finite number within `min`..`max` with at most `maxDecimalPlaces` decimals. */
export function ValidateNumber(
  options: With<{ min?: number; max?: number; maxDecimalPlaces: number }>,
): PropertyDecorator {
  const { min, max, maxDecimalPlaces } = options;
  return Field(
    options,
    {
      type: Number,
      ...(min === undefined ? {} : { minimum: min }),
      ...(max === undefined ? {} : { maximum: max }),
    },
    ValidateBy({
      name: 'isDecimalNumber',
      validator: {
        validate: (value: unknown) =>
          typeof value === 'number' && Number.isFinite(value) && decimalPlaces(value) <= maxDecimalPlaces,
        defaultMessage: () => `must be a number with at most ${maxDecimalPlaces} decimal places`,
      },
    }),
    ...(min === undefined ? [] : [Min(min)]),
    ...(max === undefined ? [] : [Max(max)]),
  );
}

/** `?name=true|false` → boolean; anything else is left as it is and refused. */
function BooleanFromQuery(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    value === 'true' ? true : value === 'false' ? false : value,
  );
}

/** `true` or `false` (in a query parameter the text `true` or `false`). */
export function ValidateBoolean(options: With<{ query?: boolean }> = {}): PropertyDecorator {
  return Field(
    options,
    { type: Boolean },
    ...(options.query ? [BooleanFromQuery()] : []),
    IsBoolean({ message: 'must be true or false' }),
  );
}

/** A list of objects of `type`, each validated as that class (at most `maxItems`). */
export function ValidateNestedList(
  options: With<{ type: Type<unknown>; maxItems: number }>,
): PropertyDecorator {
  return Field(
    options,
    { type: [options.type], maxItems: options.maxItems },
    IsArray({ message: 'must be a list' }),
    ArrayMaxSize(options.maxItems),
    ValidateNested({ each: true }),
    TransformType(() => options.type),
  );
}

/** One object of `type`, validated as that class. */
export function ValidateNestedObject(options: With<{ type: Type<unknown> }>): PropertyDecorator {
  return Field(
    options,
    { type: options.type },
    IsObject({ message: 'must be an object' }),
    ValidateNested(),
    TransformType(() => options.type),
  );
}

/**
 * A list of distinct strings each passing `rule` (at most `maxItems`), documented as `item`
 * (a pattern or format of one entry).
 */
export function ValidateStringList(
  options: With<{ maxItems: number; rule: PropertyDecorator; item?: Record<string, unknown> }>,
): PropertyDecorator {
  return Field(
    options,
    {
      type: [String],
      maxItems: options.maxItems,
      uniqueItems: true,
      ...(options.item ? { items: { type: 'string', ...options.item } } : {}),
    },
    IsArray({ message: 'must be a list' }),
    ArrayUnique({ message: 'must not repeat a value' }),
    ArrayMaxSize(options.maxItems),
    options.rule,
  );
}
