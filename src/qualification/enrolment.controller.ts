import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
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
  CreateEnrolmentRequest,
  EnrolmentHistoryEntryResponse,
  EnrolmentHistoryQuery,
  EnrolmentListQuery,
  EnrolmentResponse,
  EnrolmentTransitionRequest,
  UpdateEnrolmentRequest,
} from './enrolment.dto';
import { EnrolmentService } from './enrolment.service';

const TRANSITIONS_DESCRIPTION = `
Moves the enrolment one step, with the \`date\` it happened (not in the future, not before the latest recorded
step); kept in the history with its actor.

| from | to | note |
|---|---|---|
| WARTELISTE | ZUGESAGT | automatic only: when a seat frees up, the oldest waiting enrolment gets it |
| ZUGESAGT | LAUFEND | \`date\` = start |
| ZUGESAGT | NICHT_ANGETRETEN | final; frees the seat; optional \`reason\` |
| LAUFEND | ABGESCHLOSSEN_ERFOLGREICH, ABGESCHLOSSEN_OHNE_ERFOLG | \`date\` = end; final |
| LAUFEND | ABGEBROCHEN | \`reason\` required; final; frees the seat |
| WARTELISTE, ZUGESAGT | STORNIERT | final; frees the seat (ZUGESAGT); optional \`reason\` |

A freed seat goes to the oldest waiting enrolment of the offer in the same transaction. Any other target
answers 409 \`invalid-transition\` with \`allowedTargets\`.
`.trim();

@ApiTags('Adaptation qualifications')
@Controller('enrolments')
export class EnrolmentController {
  constructor(private readonly enrolments: EnrolmentService) {}

  @Post()
  @Idempotent('enrolment')
  @Allow(Permission.EnrolmentWrite)
  @ApiOperation({
    operationId: 'createEnrolment',
    summary: 'Enrol a client in an offer',
    description:
      'The answer is `ZUGESAGT` when a seat is free, otherwise `WARTELISTE` with `waitlistPosition`. A client ' +
      'holds at most one live enrolment (WARTELISTE, ZUGESAGT, LAUFEND) per offer: 409. A client of another ' +
      'office answers 404; an unknown or ended offer and a recognition case of another client answer 422.',
  })
  @ApiBody({
    type: CreateEnrolmentRequest,
    examples: {
      compensation: {
        summary: 'The compensation measure of a recognition case',
        value: {
          clientId: '6b1f0c8e-2d4a-4f7b-9e3c-5a8d1b2c4e6f',
          offerId: '1d7c3a9e-5b2f-4e80-a1c6-9f3e2d4b6a80',
          recognitionCaseId: '3c0e8f7a-51b2-4d8e-9a63-2f1b7c4d9e05',
        },
      },
    },
  })
  @CreatedResource(EnrolmentResponse)
  @ApiProblemResponses(400, 404, 409, 422)
  create(@Body() body: CreateEnrolmentRequest, @Caller() caller: WriteContext): Promise<EnrolmentResponse> {
    return this.enrolments.create(body, caller);
  }

  @Get()
  @Allow(Permission.EnrolmentRead)
  @ApiOperation({
    operationId: 'listEnrolments',
    summary: 'List the enrolments of your office',
    description: 'Newest first. Every client whose enrolments are shown is recorded in its access log.',
  })
  @ApiPageResponse(EnrolmentResponse)
  @ApiProblemResponses(400)
  list(@Query() query: EnrolmentListQuery, @Caller() caller: WriteContext): Promise<Page<EnrolmentResponse>> {
    return this.enrolments.list(query, caller);
  }

  @Get(':id')
  @ApiIdParam('enrolment')
  @Allow(Permission.EnrolmentRead)
  @ApiOperation({ operationId: 'getEnrolment', summary: 'Get an enrolment' })
  @VersionedResource(EnrolmentResponse)
  @ApiProblemResponses(400, 404)
  get(@Param('id', ParseUUIDPipe) id: string, @Caller() caller: WriteContext): Promise<EnrolmentResponse> {
    return this.enrolments.get(id, caller);
  }

  @Patch(':id')
  @ApiIfMatch()
  @ApiIdParam('enrolment')
  @Allow(Permission.EnrolmentWrite)
  @ApiOperation({
    operationId: 'updateEnrolment',
    summary: 'Change the description of an enrolment',
    description:
      'The linked `recognitionCaseId` (of the same client, else 422) and the `notes`; the status changes through ' +
      'transitions.',
  })
  @ApiBody({ type: UpdateEnrolmentRequest })
  @VersionedResource(EnrolmentResponse)
  @ApiProblemResponses(400, 404, 409, 422)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateEnrolmentRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<EnrolmentResponse> {
    return this.enrolments.update(id, body, expectedVersion, caller);
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiIdParam('enrolment')
  @Allow(Permission.EnrolmentWrite)
  @ApiOperation({
    operationId: 'transitionEnrolment',
    summary: 'Move an enrolment to its next state',
    description: TRANSITIONS_DESCRIPTION,
  })
  @ApiBody({
    type: EnrolmentTransitionRequest,
    examples: {
      started: { summary: 'Started', value: { to: 'LAUFEND', date: '2026-06-01' } },
      dropped: {
        summary: 'Dropped out',
        value: { to: 'ABGEBROCHEN', date: '2026-07-15', reason: 'Arbeitsaufnahme' },
      },
    },
  })
  @VersionedResource(EnrolmentResponse)
  @ApiProblemResponses(400, 404, 409, 422)
  transition(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: EnrolmentTransitionRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<EnrolmentResponse> {
    return this.enrolments.transition(id, body, expectedVersion, caller);
  }

  @Get(':id/history')
  @ApiIdParam('enrolment')
  @Allow(Permission.EnrolmentRead)
  @ApiOperation({
    operationId: 'listEnrolmentHistory',
    summary: 'The history of an enrolment',
    description:
      'Every step, oldest first: the enrolment (`from: null`), each transition and a promotion from the waiting ' +
      'list (`payload.promoted`), with date, actor and reason.',
  })
  @ApiPageResponse(EnrolmentHistoryEntryResponse)
  @ApiProblemResponses(400, 404)
  history(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: EnrolmentHistoryQuery,
    @Caller() caller: WriteContext,
  ): Promise<Page<EnrolmentHistoryEntryResponse>> {
    return this.enrolments.history(id, query, caller);
  }
}
