import { ValidationError } from 'class-validator';
import { toFieldErrors } from './validation';

function node(property: string, constraints?: Record<string, string>, children: ValidationError[] = []) {
  return Object.assign(new ValidationError(), { property, constraints, children });
}

describe('toFieldErrors', () => {
  it('turns nested class-validator errors into JSON pointers', () => {
    const errors = [
      node('birthDate', { isDateString: 'birthDate must be a valid ISO 8601 date string' }),
      node('addresses', undefined, [
        node('1', undefined, [node('postalCode', { length: 'postalCode must be 5 characters' })]),
      ]),
    ];
    expect(toFieldErrors(errors)).toEqual([
      { pointer: '#/birthDate', detail: 'must be a valid ISO 8601 date string' },
      { pointer: '#/addresses/1/postalCode', detail: 'must be 5 characters' },
    ]);
  });

  it('escapes pointer tokens as RFC 6901 requires', () => {
    expect(toFieldErrors([node('a/b~c', { x: 'is wrong' })])).toEqual([
      { pointer: '#/a~1b~0c', detail: 'is wrong' },
    ]);
  });

  it('keeps whole messages that do not start with the property name', () => {
    expect(
      toFieldErrors([node('officeId', { whitelistValidation: 'property officeId should not exist' })]),
    ).toEqual([{ pointer: '#/officeId', detail: 'property officeId should not exist' }]);
  });
});
