import { applyDecorators } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { PageQuery } from '../common/http/pagination';
import { ValidateBoolean, ValidateString } from '../common/http/validate.decorators';
import { labelledCodeLists } from './code-labels';
import { CODE_LISTS } from './codes';

export const KLDB_PATTERN = /^\d{5}$/;

/** One code of a code list with its German and English label. */
export class CodeLabelResponse {
  @ApiProperty({ example: 'AE_16D', description: 'The code as the API uses it.' })
  code!: string;

  @ApiProperty({ example: 'Aufenthaltserlaubnis zur Anerkennung (§ 16d AufenthG)' })
  de!: string;

  @ApiProperty({ example: 'Residence permit for recognition (§ 16d Residence Act)' })
  en!: string;
}

/** Every code list of the API by its name (see `ApiCodeListsResponse` for the documented schema). */
export interface CodeListsResponse {
  lists: Record<string, CodeLabelResponse[]>;
}

/**
 * `Cache-Control` of the static reference data (code lists, countries): it replaces the `no-store`
 * every API answer gets, as these lists hold no personal data.
 */
export const STATIC_CACHE_CONTROL = 'private, max-age=3600';

const CACHE_HEADERS = {
  'Cache-Control': {
    description: 'The list changes only with a new release: clients may keep it for an hour.',
    schema: { type: 'string', example: STATIC_CACHE_CONTROL },
  },
};

/** A country (ISO 3166-1 alpha-2) or one of the two pseudo-countries allowed in nationalities. */
export class CountryResponse {
  @ApiProperty({ example: 'SY', pattern: '^[A-Z]{2}$' })
  code!: string;

  @ApiProperty({ example: 'Syrien', description: 'Short German name.' })
  de!: string;

  @ApiProperty({ example: 'Syria', description: 'Short English name.' })
  en!: string;

  @ApiProperty({
    example: false,
    description:
      'An EU member state, another EEA state (IS, LI, NO) or Switzerland: Directive 2005/36/EC applies.',
  })
  euEeaCh!: boolean;

  @ApiProperty({
    example: false,
    description:
      '`true` only for `XX` (unknown) and `XS` (stateless), which are valid only as nationalities.',
  })
  pseudo!: boolean;
}

export class CountryListResponse {
  @ApiProperty({
    type: [CountryResponse],
    description: 'The ISO 3166-1 countries by code, then `XX` and `XS`.',
  })
  items!: CountryResponse[];
}

/** A reference occupation (Referenzberuf) of the KldB 2010. */
export class OccupationResponse {
  @ApiProperty({
    example: '81302',
    pattern: KLDB_PATTERN.source,
    description: 'KldB 2010 code (Berufsgattung).',
  })
  kldb!: string;

  @ApiProperty({ example: 'Gesundheits- und Krankenpfleger/in' })
  titleDe!: string;

  @ApiProperty({
    example: 'Nurse (general care)',
    nullable: true,
    type: String,
    description:
      '`null` for occupations loaded from the Federal Employment Agency list without a translation.',
  })
  titleEn!: string | null;

  @ApiProperty({
    example: true,
    description:
      'A regulated profession (reglementierter Beruf): practising it or using its title needs a licence, ' +
      'so a foreign qualification must be recognised first.',
  })
  regulated!: boolean;
}

export class OccupationListQuery extends PageQuery {
  @ValidateString({
    optional: true,
    trim: true,
    min: 1,
    max: 100,
    pattern: /^(?!\d{6,}$)/,
    patternMessage: 'a KldB code has 5 digits; search at most 5',
    example: 'krankenpfleger',
    description:
      'Digits: the start of a KldB code (`813` finds 813xx). Text: words of the German title, tolerant of ' +
      'case, accents, umlauts and typos; results best match first.',
  })
  q?: string;

  @ValidateBoolean({
    optional: true,
    query: true,
    example: true,
    description: 'Only regulated (`true`) or only other (`false`) occupations.',
  })
  regulated?: boolean;
}

export class OccupationParams {
  @ValidateString({
    pattern: KLDB_PATTERN,
    patternMessage: 'must be a KldB 2010 code of 5 digits',
    example: '81302',
    description: 'KldB 2010 code (5 digits).',
  })
  kldb!: string;
}

/** 200 with `{ lists: { <name>: CodeLabel[] } }`, every list of `codes.ts` named in the schema. */
export function ApiCodeListsResponse() {
  return applyDecorators(
    ApiExtraModels(CodeLabelResponse),
    ApiOkResponse({
      description: 'Every code list, each code with its German and English label.',
      headers: CACHE_HEADERS,
      schema: {
        type: 'object',
        required: ['lists'],
        properties: {
          lists: {
            type: 'object',
            required: Object.keys(CODE_LISTS),
            properties: Object.fromEntries(
              Object.keys(CODE_LISTS).map((name) => [
                name,
                { type: 'array', items: { $ref: getSchemaPath(CodeLabelResponse) } },
              ]),
            ),
          },
        },
        // Every list is required, so the example shows them all (the first two codes of each).
        example: {
          lists: Object.fromEntries(
            Object.entries(labelledCodeLists()).map(([name, codes]) => [name, codes.slice(0, 2)]),
          ),
        },
      },
    }),
  );
}

/** 200 with the country list and its `Cache-Control`. */
export function ApiCountryListResponse() {
  return ApiOkResponse({
    type: CountryListResponse,
    description: 'The countries, then the two pseudo-countries.',
    headers: CACHE_HEADERS,
  });
}
