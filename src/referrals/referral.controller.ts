import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
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
import { RecognitionCaseResponse } from '../recognition/recognition-case.dto';
import {
  CancelReferralRequest,
  CreateReferralRequest,
  ReferralDetailResponse,
  ReferralHistoryEntryResponse,
  ReferralHistoryQuery,
  ReferralListQuery,
  ReferralResponse,
} from './referral.dto';
import { ReferralService } from './referral.service';

const CREATE_DESCRIPTION = `
Refers a client of your office to a partner (Jobcenter, Kammer, Anerkennungsstelle …). The partner's
system sees the referral at once (\`GET /partner/referrals\`, webhook \`referral.created\`) and, of the client,
only the members of the shared \`dataCategories\`.

Sending needs an **active \`WEITERGABE_PARTNER\` consent** of the client that names this partner (or its
partner type), is neither withdrawn nor expired (Europe/Berlin today) and covers **every** shared category.
The referral records the consent it relies on. Otherwise 422 \`consent-missing\` with \`uncoveredCategories\`:
exactly the categories the best usable consent lacks (all of them when no consent names the partner).

Unknown partner, a recognition case of another client or a \`dueBy\` in the past: 422 with \`errors[]\`.
A client of another office: 404. Without \`dueBy\` the answer is expected within REFERRAL_ANSWER_DAYS (14);
an unanswered referral becomes \`ABGELAUFEN\` the day after.
`.trim();

@ApiTags('Referrals')
@Controller('referrals')
export class ReferralController {
  constructor(private readonly referrals: ReferralService) {}

  @Post()
  @Idempotent('referral')
  @Allow(Permission.ReferralWrite)
  @ApiOperation({
    operationId: 'createReferral',
    summary: 'Refer a client to a partner',
    description: CREATE_DESCRIPTION,
  })
  @ApiBody({
    type: CreateReferralRequest,
    examples: {
      jobcenter: {
        summary: 'To the Jobcenter, names and contact data',
        value: {
          clientId: '6b1f0c8e-2d4a-4f7b-9e3c-5a8d1b2c4e6f',
          partnerId: '1d7c3a9e-5b2f-4e80-a1c6-9f3e2d4b6a80',
          reason: 'KOSTEN_FOERDERUNG',
          dataCategories: ['STAMMDATEN', 'KONTAKT'],
          message: 'Bitte Übernahme der Anerkennungskosten prüfen.',
          dueBy: '2026-07-01',
        },
      },
      authority: {
        summary: 'To the competent authority, with the recognition case',
        value: {
          clientId: '6b1f0c8e-2d4a-4f7b-9e3c-5a8d1b2c4e6f',
          partnerId: '2c4e6f8a-0b1d-4e3f-9a5c-7e9b1d3f5a70',
          reason: 'ANTRAGSUNTERSTUETZUNG',
          dataCategories: ['STAMMDATEN', 'QUALIFIKATION', 'VERFAHREN'],
          recognitionCaseId: '3c0e8f7a-51b2-4d8e-9a63-2f1b7c4d9e05',
        },
      },
    },
  })
  @CreatedResource(ReferralResponse)
  @ApiProblemResponses(400, 404, 422)
  create(@Body() body: CreateReferralRequest, @Caller() caller: WriteContext): Promise<ReferralResponse> {
    return this.referrals.create(body, caller);
  }

  @Get()
  @Allow(Permission.ReferralRead)
  @ApiOperation({
    operationId: 'listReferrals',
    summary: 'List the referrals of your office',
    description:
      'Newest first, cursor-paged. Filters: `status`, `partnerId`, `clientId`, `overdue` (still GESENDET after ' +
      '`dueBy`). Every client whose referrals are shown is recorded in its access log.',
  })
  @ApiPageResponse(ReferralResponse)
  @ApiProblemResponses(400)
  list(@Query() query: ReferralListQuery, @Caller() caller: WriteContext): Promise<Page<ReferralResponse>> {
    return this.referrals.list(query, caller);
  }

  @Get(':id')
  @ApiIdParam('referral')
  @Allow(Permission.ReferralRead)
  @ApiOperation({
    operationId: 'getReferral',
    summary: 'Get a referral with the partner’s answers and its history',
    description:
      'The partner’s answers (`declineReason`, `outcome`, `decision`) and every step (`history`, oldest first; ' +
      'actor: adviser, partner system or the system). A referral of another office answers 404.',
  })
  @VersionedResource(ReferralDetailResponse)
  @ApiProblemResponses(400, 404)
  get(
    @Param('id', ParseUUIDPipe) id: string,
    @Caller() caller: WriteContext,
  ): Promise<ReferralDetailResponse> {
    return this.referrals.get(id, caller);
  }

  @Get(':id/history')
  @ApiIdParam('referral')
  @Allow(Permission.ReferralRead)
  @ApiOperation({
    operationId: 'listReferralHistory',
    summary: 'The history of a referral',
    description: 'Every step, oldest first, paged.',
  })
  @ApiPageResponse(ReferralHistoryEntryResponse)
  @ApiProblemResponses(400, 404)
  history(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: ReferralHistoryQuery,
    @Caller() caller: WriteContext,
  ): Promise<Page<ReferralHistoryEntryResponse>> {
    return this.referrals.history(id, query, caller);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiIdParam('referral')
  @Allow(Permission.ReferralWrite)
  @ApiOperation({
    operationId: 'cancelReferral',
    summary: 'Cancel a referral',
    description:
      'GESENDET or ANGENOMMEN → STORNIERT with a `reason` the partner sees; the partner is told by the webhook ' +
      '`referral.cancelled` and gets no more client data. A final referral answers 409 `invalid-transition`.',
  })
  @ApiBody({ type: CancelReferralRequest })
  @VersionedResource(ReferralResponse)
  @ApiProblemResponses(400, 404, 409, 412, 428)
  cancel(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CancelReferralRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<ReferralResponse> {
    return this.referrals.cancel(id, body, expectedVersion, caller);
  }

  @Post(':id/apply-decision')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiIdParam('referral')
  @Allow(Permission.ReferralWrite, Permission.RecognitionWrite)
  @ApiOperation({
    operationId: 'applyReferralDecision',
    summary: 'Apply the partner’s decision to the recognition case',
    description:
      'A completed referral to an ANERKENNUNGSSTELLE, KAMMER or ZAB may carry the authority’s decision ' +
      '(`decision.outcome`, `decision.decidedOn`); the linked case lists it in `nextSteps`. This call moves the case ' +
      'to BESCHIEDEN with that outcome and date — the usual transition rules apply (409 `invalid-transition`, 422) — ' +
      'and marks the decision applied, in one transaction. `If-Match` is the **case’s** ETag. Answers the case.',
  })
  @VersionedResource(RecognitionCaseResponse)
  @ApiProblemResponses(400, 404, 409, 412, 422, 428)
  applyDecision(
    @Param('id', ParseUUIDPipe) id: string,
    @IfMatch() expectedCaseVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<RecognitionCaseResponse> {
    return this.referrals.applyDecision(id, expectedCaseVersion, caller);
  }
}
