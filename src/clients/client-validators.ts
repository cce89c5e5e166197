import { ValidateBy, type ValidationOptions } from 'class-validator';
import { Field, type FieldOptions, ValidateStringList } from '../common/http/validate.decorators';
import { isCountryCode, isNationalityCode } from '../reference-data/countries';

const COUNTRY_CODE = '^[A-Z]{2}$';

/** An ISO 3166-1 alpha-2 country code (see `GET /reference-data/countries`). */
export function IsCountry(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isCountry',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isCountryCode(value),
        defaultMessage: () => 'must be an ISO 3166-1 alpha-2 country code such as SY or UA',
      },
    },
    options,
  );
}

/** A nationality: ISO 3166-1 alpha-2, or `XX` (unknown) or `XS` (stateless). */
export function IsNationality(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isNationality',
      validator: {
        validate: (value: unknown) => typeof value === 'string' && isNationalityCode(value),
        defaultMessage: () =>
          'each value must be an ISO 3166-1 alpha-2 country code, XX (unknown) or XS (stateless)',
      },
    },
    options,
  );
}

/** A country code member (documented and validated in one place). */
export function ValidateCountry(options: FieldOptions = {}): PropertyDecorator {
  return Field(options, { type: String, pattern: COUNTRY_CODE }, IsCountry());
}

/** One nationality (a query filter). */
export function ValidateNationality(options: FieldOptions = {}): PropertyDecorator {
  return Field(options, { type: String, pattern: COUNTRY_CODE }, IsNationality());
}

/** A client's nationalities: distinct codes, at most `maxItems`. */
export function ValidateNationalities(options: FieldOptions & { maxItems: number }): PropertyDecorator {
  return ValidateStringList({
    ...options,
    rule: IsNationality({ each: true }),
    item: { pattern: COUNTRY_CODE },
  });
}
