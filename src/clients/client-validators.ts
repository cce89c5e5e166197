import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isCountryCode, isNationalityCode } from '../reference-data/countries';

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
