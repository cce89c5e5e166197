import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { WriteContext } from '../audit/write-context';
import { Allow } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { Caller } from '../common/http/caller.decorator';
import { ApiIfMatch, IfMatch } from '../common/http/concurrency';
import { ApiPageResponse, type Page } from '../common/http/pagination';
import { ApiIdParam, CreatedResource, VersionedResource } from '../common/http/resource-headers';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import {
  CreateOfferRequest,
  OfferEnrolmentResponse,
  OfferEnrolmentsQuery,
  OfferListQuery,
  OfferResponse,
  UpdateOfferRequest,
} from './qualification-offer.dto';
import { QualificationOfferService } from './qualification-offer.service';

@ApiTags('Adaptation qualifications')
@Controller('qualification-offers')
export class QualificationOfferController {
  constructor(private readonly offers: QualificationOfferService) {}

  @Post()
  @Idempotent('qualification-offer')
  @Allow(Permission.QualificationOfferWrite)
  @ApiOperation({
    operationId: 'createQualificationOffer',
    summary: 'Add an offer to your network’s catalogue',
    description:
      'Coordinators only; the offer belongs to their network. An unknown provider, a `referenceOccupations` code ' +
      'that is no reference occupation or an `endsOn` before `startsOn` answer 422.',
  })
  @ApiBody({
    type: CreateOfferRequest,
    examples: {
      nursing: {
        summary: 'Anpassungslehrgang Pflege',
        value: {
          title: 'Anpassungslehrgang Pflege',
          type: 'ANPASSUNGSLEHRGANG',
          providerPartnerId: '0b6f3c1e-8a42-4d5e-9f17-6c2a8e4b1d90',
          referenceOccupations: ['81302'],
          format: 'KURS',
          delivery: 'HYBRID',
          capacity: 12,
          startsOn: '2026-06-01',
          endsOn: '2026-12-18',
          iqFunded: true,
          bundesland: 'DE-BE',
          city: 'Berlin',
        },
      },
    },
  })
  @CreatedResource(OfferResponse)
  @ApiProblemResponses(400, 422)
  create(@Body() body: CreateOfferRequest, @Caller() caller: WriteContext): Promise<OfferResponse> {
    return this.offers.create(body, caller);
  }

  @Get()
  @Allow(Permission.QualificationOfferRead)
  @ApiOperation({
    operationId: 'listQualificationOffers',
    summary: 'Search the offer catalogue',
    description:
      'Every network’s offers, newest first; follow `nextCursor` until it is `null`. Each offer shows ' +
      '`seatsTaken`, `seatsFree` and `waitlisted`.',
  })
  @ApiPageResponse(OfferResponse)
  @ApiProblemResponses(400)
  list(@Query() query: OfferListQuery): Promise<Page<OfferResponse>> {
    return this.offers.list(query);
  }

  @Get(':id')
  @ApiIdParam('qualification offer')
  @Allow(Permission.QualificationOfferRead)
  @ApiOperation({ operationId: 'getQualificationOffer', summary: 'Get an offer with its seats' })
  @VersionedResource(OfferResponse)
  @ApiProblemResponses(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string): Promise<OfferResponse> {
    return this.offers.get(id);
  }

  @Patch(':id')
  @ApiIfMatch()
  @ApiIdParam('qualification offer')
  @Allow(Permission.QualificationOfferWrite)
  @ApiOperation({
    operationId: 'updateQualificationOffer',
    summary: 'Change an offer of your network',
    description:
      'Members left out stay; `null` empties an optional one. An offer of another network answers 404. A ' +
      '`capacity` below `seatsTaken` answers 409; a raised one gives the new seats to the oldest waiting ' +
      'enrolments at once (their history records the promotion).',
  })
  @ApiBody({
    type: UpdateOfferRequest,
    examples: { moreSeats: { summary: 'Two more seats', value: { capacity: 14 } } },
  })
  @VersionedResource(OfferResponse)
  @ApiProblemResponses(400, 404, 409, 422)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateOfferRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<OfferResponse> {
    return this.offers.update(id, body, expectedVersion, caller);
  }

  @Get(':id/enrolments')
  @ApiIdParam('qualification offer')
  @Allow(Permission.QualificationOfferEnrolments)
  @ApiOperation({
    operationId: 'listQualificationOfferEnrolments',
    summary: 'The enrolments of an offer of your network, without names',
    description:
      'In queue order. Each shows a pseudonym of the client (stable within the offer), the advising office, ' +
      'the status, the waiting-list position and the dates — never a name or a free text: coordinators plan ' +
      'with counts, not identities. An offer of another network answers 404.',
  })
  @ApiPageResponse(OfferEnrolmentResponse)
  @ApiProblemResponses(400, 404)
  enrolments(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: OfferEnrolmentsQuery,
    @Caller() caller: WriteContext,
  ): Promise<Page<OfferEnrolmentResponse>> {
    return this.offers.enrolmentsOf(id, query, caller);
  }
}
