import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { ApiPageResponse, type Page } from '../common/http/pagination';
import {
  ApiCodeListsResponse,
  ApiCountryListResponse,
  OccupationListQuery,
  OccupationParams,
  OccupationResponse,
  STATIC_CACHE_CONTROL,
  type CodeListsResponse,
  type CountryListResponse,
} from './reference-data.dto';
import { ReferenceDataService } from './reference-data.service';

/** Code lists, countries and reference occupations: read by every signed-in user and partner system. */
@ApiTags('Reference data')
@Controller('reference-data')
export class ReferenceDataController {
  constructor(private readonly referenceData: ReferenceDataService) {}

  @Get('enums')
  @Allow(Permission.ReferenceDataRead)
  @ApiOperation({
    operationId: 'listCodeLists',
    summary: 'Every code list with German and English labels',
    description:
      'The codes the API accepts and answers (gender, residence status, consultation topics, case states …), ' +
      'each list in its defined order. Static: cache it for an hour (`Cache-Control`).',
  })
  @ApiCodeListsResponse()
  @Header('cache-control', STATIC_CACHE_CONTROL)
  codeLists(): CodeListsResponse {
    return this.referenceData.codes();
  }

  @Get('countries')
  @Allow(Permission.ReferenceDataRead)
  @ApiOperation({
    operationId: 'listCountries',
    summary: 'Countries with German and English names',
    description:
      'ISO 3166-1 alpha-2 by code, with the EU/EEA/Switzerland flag, followed by the pseudo-countries `XX` ' +
      '(unknown) and `XS` (stateless), which are valid only as nationalities. Static: cache it for an hour.',
  })
  @ApiCountryListResponse()
  @Header('cache-control', STATIC_CACHE_CONTROL)
  countries(): CountryListResponse {
    return this.referenceData.countries();
  }

  @Get('occupations')
  @Allow(Permission.ReferenceDataRead)
  @ApiOperation({
    operationId: 'listOccupations',
    summary: 'Find reference occupations (KldB 2010)',
    description:
      'Without `q`, or with digits in `q`, by code. With words in `q`, occupations whose German title has ' +
      'similar words (case, accents, umlauts and small typos do not matter), best match first. ' +
      'Follow `nextCursor` until it is `null`.',
  })
  @ApiPageResponse(OccupationResponse)
  @ApiProblemResponses(400)
  listOccupations(@Query() query: OccupationListQuery): Promise<Page<OccupationResponse>> {
    return this.referenceData.listOccupations(query);
  }

  @Get('occupations/:kldb')
  @Allow(Permission.ReferenceDataRead)
  @ApiOperation({ operationId: 'getOccupation', summary: 'Get a reference occupation by its KldB code' })
  @ApiOkResponse({ type: OccupationResponse, description: 'The occupation.' })
  @ApiProblemResponses(400, 404)
  getOccupation(@Param() params: OccupationParams): Promise<OccupationResponse> {
    return this.referenceData.getOccupation(params.kldb);
  }
}
