import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { WriteContext } from '../audit/write-context';
import { Allow } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { Caller } from '../common/http/caller.decorator';
import { ApiIdParam, VersionedResource } from '../common/http/resource-headers';
import { Idempotent } from '../common/idempotency/idempotent.decorator';
import { PartnerReferralService, type PartnerReferralPageResult } from './partner-referral.service';
import {
  AcceptReferralRequest,
  CompleteReferralRequest,
  DeclineReferralRequest,
  PartnerReferralDetailResponse,
  PartnerReferralPage,
  PartnerReferralResponse,
  PartnerReferralSyncQuery,
} from './referral.dto';

const SYNC_DESCRIPTION = `
The referrals addressed to your partner organisation, **in the order in which they changed** — an
incremental sync that never misses a change, also while referrals change concurrently.

* Each item is the referral's current state; a referral appears again after every change (higher \`version\`).
  Remember \`(id, version)\` to recognise what you have processed.
* \`nextCursor\` is set while more changes are available **now**: request again with \`?cursor=<nextCursor>\`.
  \`null\` means you have seen every change visible at this moment.
* \`resumeCursor\` is always set: store it after processing a page and start your next sync (in a minute, or
  tomorrow) with \`?cursor=<resumeCursor>\`. It never passes a change that was still being written when you
  asked: such a change is held back until it is committed and then delivered after your cursor. Cursors do
  not expire.
* \`updatedSince\` (an instant) skips referrals last changed before it — for a first sync; \`status\` keeps only
  referrals now in that state (a referral that left the state is then not shown again). Use the same filters
  with a cursor as for the page that produced it.
* The items carry no client data: fetch \`GET /partner/referrals/{id}\` for it (each fetch is recorded in the
  client's access log). Webhooks (\`referral.created\` …) tell you when to sync; the sync is the source of truth.
`.trim();

const DETAIL_DESCRIPTION = `
The referral and, in \`client\`, the client data of the **shared categories only**, member by member:

| category | members |
|---|---|
| STAMMDATEN | \`firstName\`, \`lastName\`, \`birthDate\` |
| KONTAKT | \`email\`, \`phone\`, \`postalCode\`, \`city\` |
| QUALIFIKATION | \`qualifications[]\` (foreign qualifications) |
| AUFENTHALT | \`residenceStatus\` |
| VERFAHREN | \`recognitionCase\` (status, dates, outcome of the linked case; \`null\` when none is linked) |
| BERATUNGSVERLAUF | \`consultations[]\` (date, topics, outcomes; never notes, never voided consultations) |

Members of categories not shared are absent. \`client\` is \`null\` once the referral is closed (declined,
completed, cancelled, expired), the client's consent was withdrawn or expired, or the client's data was
erased (Art. 17): nothing more is shared then.
Each read is recorded in the client's access log. A referral not addressed to you answers 404.
`.trim();

@ApiTags('Partner API')
@Controller('partner/referrals')
export class PartnerReferralController {
  constructor(private readonly referrals: PartnerReferralService) {}

  @Get()
  @Allow(Permission.PartnerReferralRead)
  @ApiOperation({
    operationId: 'syncPartnerReferrals',
    summary: 'Sync your referrals (changes in order)',
    description: SYNC_DESCRIPTION,
  })
  @ApiOkResponse({ type: PartnerReferralPage })
  @ApiProblemResponses(400)
  sync(
    @Query() query: PartnerReferralSyncQuery,
    @Caller() caller: WriteContext,
  ): Promise<PartnerReferralPageResult> {
    return this.referrals.sync(query, caller);
  }

  @Get(':id')
  @ApiIdParam('referral')
  @Allow(Permission.PartnerReferralRead)
  @ApiOperation({
    operationId: 'getPartnerReferral',
    summary: 'Get a referral with the shared client data',
    description: DETAIL_DESCRIPTION,
  })
  @VersionedResource(PartnerReferralDetailResponse)
  @ApiProblemResponses(400, 404)
  get(
    @Param('id', ParseUUIDPipe) id: string,
    @Caller() caller: WriteContext,
  ): Promise<PartnerReferralDetailResponse> {
    return this.referrals.get(id, caller);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @Idempotent('referral')
  @ApiIdParam('referral')
  @Allow(Permission.PartnerReferralWrite)
  @ApiOperation({
    operationId: 'acceptPartnerReferral',
    summary: 'Accept a referral',
    description:
      'GESENDET → ANGENOMMEN. Any other state answers 409 `invalid-transition` with `allowedTargets`. Send an ' +
      '`Idempotency-Key` to retry safely.',
  })
  @ApiBody({ type: AcceptReferralRequest, required: false })
  @VersionedResource(PartnerReferralResponse)
  @ApiProblemResponses(400, 404, 409)
  accept(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: AcceptReferralRequest,
    @Caller() caller: WriteContext,
  ): Promise<PartnerReferralResponse> {
    return this.referrals.accept(id, body?.note, caller);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @Idempotent('referral')
  @ApiIdParam('referral')
  @Allow(Permission.PartnerReferralWrite)
  @ApiOperation({
    operationId: 'declinePartnerReferral',
    summary: 'Decline a referral',
    description:
      'GESENDET → ABGELEHNT with a `reason` (required; the office sees it). Otherwise 409 `invalid-transition`.',
  })
  @ApiBody({ type: DeclineReferralRequest })
  @VersionedResource(PartnerReferralResponse)
  @ApiProblemResponses(400, 404, 409)
  decline(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: DeclineReferralRequest,
    @Caller() caller: WriteContext,
  ): Promise<PartnerReferralResponse> {
    return this.referrals.decline(id, body, caller);
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Idempotent('referral')
  @ApiIdParam('referral')
  @Allow(Permission.PartnerReferralWrite)
  @ApiOperation({
    operationId: 'completePartnerReferral',
    summary: 'Complete a referral',
    description:
      'ANGENOMMEN → ERLEDIGT with an `outcome` note. For a referral linked to a recognition case ' +
      '(`recognitionCaseLinked`), an ANERKENNUNGSSTELLE, KAMMER or ZAB may attach its `decision` (`outcome` from the ' +
      'recognition outcomes, `decidedOn` not in the future): the office sees it on the case and ' +
      'applies it with one call. Otherwise a decision answers 422; a referral not ANGENOMMEN answers 409.',
  })
  @ApiBody({
    type: CompleteReferralRequest,
    examples: {
      note: { summary: 'Outcome note', value: { outcome: 'Förderzusage über 600 EUR erteilt' } },
      decision: {
        summary: 'With the authority’s decision',
        value: {
          outcome: 'Bescheid erteilt',
          decision: { outcome: 'VOLLE_GLEICHWERTIGKEIT', decidedOn: '2026-06-10' },
        },
      },
    },
  })
  @VersionedResource(PartnerReferralResponse)
  @ApiProblemResponses(400, 404, 409, 422)
  complete(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: CompleteReferralRequest,
    @Caller() caller: WriteContext,
  ): Promise<PartnerReferralResponse> {
    return this.referrals.complete(id, body, caller);
  }
}
