import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import {
  decimalPlaces,
  isCalendarDate,
  isCalendarInstant,
  ValidateBoolean,
  ValidateEmail,
  ValidateInt,
  ValidateNumber,
  ValidateString,
} from './validate.decorators';

class Sample {
  @ValidateString({ trim: true, min: 1, max: 5 })
  required!: string;

  @ValidateString({ optional: true, max: 5 })
  optionalNotNull?: string;

  @ValidateString({ optional: true, nullable: true, max: 5 })
  optionalNullable?: string | null;

  @ValidateInt({ optional: true, query: true, min: 1, max: 9 })
  count?: number;

  @ValidateBoolean({ optional: true, query: true })
  flag?: boolean;

  @ValidateBoolean({ optional: true })
  bodyFlag?: boolean;
}

class Fees {
  @ValidateNumber({ min: 0, max: 1000, maxDecimalPlaces: 2 })
  fee!: number;
}

describe('ValidateNumber', () => {
  it('counts decimal places also in exponent notation', () => {
    expect([0, 12, 1.5, 0.25, 1e-9, 1.5e-7, 1e21, 123.456].map(decimalPlaces)).toEqual([
      0, 0, 1, 2, 9, 8, 0, 3,
    ]);
  });

  it('refuses numbers in exponent notation with too many decimals instead of throwing', () => {
    const check = (fee: unknown) =>
      validateSync(plainToInstance(Fees, { fee })).flatMap((error) => Object.values(error.constraints ?? {}));
    expect(check(1e-9)).toEqual(['must be a number with at most 2 decimal places']);
    expect(check(411.5)).toEqual([]);
    expect(check(1e-2)).toEqual([]);
    expect(check('12')).toContain('must be a number with at most 2 decimal places');
  });
});

function problems(plain: Record<string, unknown>): Record<string, string[]> {
  const errors = validateSync(plainToInstance(Sample, plain), { forbidUnknownValues: true });
  return Object.fromEntries(errors.map((error) => [error.property, Object.values(error.constraints ?? {})]));
}

describe('isCalendarDate', () => {
  it.each(['2024-02-29', '2026-12-31', '1900-01-01'])('accepts %s', (value) => {
    expect(isCalendarDate(value)).toBe(true);
  });

  it.each(['2026-02-30', '2025-02-29', '2026-04-31', '2026-13-01', '2026-00-01', '2026-1-1', '20260101'])(
    'refuses %s',
    (value) => {
      expect(isCalendarDate(value)).toBe(false);
    },
  );
});

describe('isCalendarInstant', () => {
  it.each([
    '2026-11-22T09:30:00Z',
    '2026-11-22T09:30Z',
    '2024-02-29T23:59:59.999999Z',
    '2026-03-29T02:30:00+02:00',
    '2026-11-22T00:00:00-05:30',
  ])('accepts %s', (value) => {
    expect(isCalendarInstant(value)).toBe(true);
  });

  it.each([
    '2026-02-30T10:00:00Z',
    '2025-02-29T10:00:00Z',
    '2026-03-01T24:00:00Z',
    '2026-03-01T10:60:00Z',
    '2026-03-01T10:00:60Z',
    '2026-03-01T10:00:00+24:00',
    '2026-03-01T10:00:00+01:60',
    '2026-03-01T10:00:00',
    '2026-03-01 10:00:00Z',
    '2026-03-01T10:00:00.1234567Z',
  ])('refuses %s', (value) => {
    expect(isCalendarInstant(value)).toBe(false);
  });
});

describe('Field presence and nullability', () => {
  it('requires a required member and refuses null for it', () => {
    expect(problems({}).required).toContain('is required');
    expect(problems({ required: null }).required).toContain('must not be null');
  });

  it('lets an optional member be left out but refuses null unless it is nullable', () => {
    expect(problems({ required: 'a' })).toEqual({});
    expect(problems({ required: 'a', optionalNotNull: null })).toEqual({
      optionalNotNull: expect.arrayContaining(['must not be null']),
    });
    expect(problems({ required: 'a', optionalNullable: null })).toEqual({});
  });

  it('trims before checking the length, and refuses U+0000', () => {
    expect(problems({ required: '   ' }).required).toEqual([
      'required must be longer than or equal to 1 characters',
    ]);
    expect(problems({ required: '  abc  ' })).toEqual({});
    expect(problems({ required: 'a\u0000b' }).required).toEqual([
      'must not contain the NUL character (U+0000)',
    ]);
  });

  it('refuses lone surrogates (not encodable as UTF-8)', () => {
    expect(problems({ required: 'a\ud800' }).required).toEqual([
      'must be well-formed Unicode text (it contains a lone surrogate)',
    ]);
    expect(problems({ required: '\u{1F600}' })).toEqual({});
  });

  it('reads numbers and booleans from query text, but not in a body', () => {
    expect(problems({ required: 'a', count: '3', flag: 'false' })).toEqual({});
    expect(problems({ required: 'a', count: '3x' }).count).toContain('must be an integer');
    expect(problems({ required: 'a', count: '10' }).count).toEqual(['count must not be greater than 9']);
    expect(problems({ required: 'a', bodyFlag: 'true' }).bodyFlag).toEqual(['must be true or false']);
  });
});

class Contact {
  @ValidateEmail({ max: 254 })
  email!: string;
}

describe('ValidateEmail', () => {
  const emailProblems = (email: string) =>
    validateSync(plainToInstance(Contact, { email })).flatMap((error) =>
      Object.values(error.constraints ?? {}),
    );

  it('answers a text that is not well-formed Unicode as a validation problem, never an exception', () => {
    // class-validator's isEmail throws URIError on a lone surrogate (a 500 found by the fuzzer).
    expect(emailProblems('a\ud800@example.org')).toContain('must be an e-mail address');
    expect(emailProblems('anna@example.org')).toEqual([]);
    expect(emailProblems('anna')).toEqual(['must be an e-mail address']);
  });
});
