import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../auth/actor';
import { Allow, CurrentActor } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { ApiIfMatch, IfMatch } from '../common/http/concurrency';
import { ApiPageResponse, type Page } from '../common/http/pagination';
import {
  ApiCreatedResourceResponse,
  ApiIdParam,
  ApiResourceResponse,
  setCreated,
  setEtag,
} from '../common/http/resource-headers';
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
  @ApiCreatedResourceResponse(OfferResponse)
  @ApiProblemResponses(400, 422)
  async create(
    @Body() body: CreateOfferRequest,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OfferResponse> {
    const created = await this.offers.create(body, { actor, requestId: request.id });
    setCreated(request, reply, created);
    return created;
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
  @ApiResourceResponse(OfferResponse)
  @ApiProblemResponses(400, 404)
  async get(
    @Param('id', ParseUUIDPipe) id: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OfferResponse> {
    const found = await this.offers.get(id);
    setEtag(reply, found);
    return found;
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
  @ApiResourceResponse(OfferResponse)
  @ApiProblemResponses(400, 404, 409, 422)
  async update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateOfferRequest,
    @IfMatch() expectedVersion: number,
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<OfferResponse> {
    const updated = await this.offers.update(id, body, expectedVersion, { actor, requestId: request.id });
    setEtag(reply, updated);
    return updated;
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
    @CurrentActor() actor: Actor,
    @Req() request: FastifyRequest,
  ): Promise<Page<OfferEnrolmentResponse>> {
    return this.offers.enrolmentsOf(id, query, { actor, requestId: request.id });
  }
}
