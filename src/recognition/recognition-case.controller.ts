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
  CreateRecognitionCaseRequest,
  ExtensionRequest,
  HistoryEntryResponse,
  HistoryQuery,
  ReceiptConfirmationRequest,
  RecognitionCaseListQuery,
  RecognitionCaseResponse,
  TransitionRequest,
  UpdateRecognitionCaseRequest,
} from './recognition-case.dto';
import { RecognitionCaseService } from './recognition-case.service';

const TRANSITIONS_DESCRIPTION = `
Moves the case one step through the procedure, as the authority reported it. Every step has a \`date\`
(not in the future, not before the latest recorded step), may carry a \`note\`, and is kept in the history
with its actor. Members that belong to another step are refused (400).

| from | to | members |
|---|---|---|
| IN_VORBEREITUNG | BEANTRAGT | \`authorityPartnerId\` unless the case names its authority; \`date\` = submission |
| BEANTRAGT | UNVOLLSTAENDIG | \`date\` = documents requested |
| BEANTRAGT, UNVOLLSTAENDIG | IN_PRUEFUNG | \`date\` = documents complete: the decision period starts |
| IN_PRUEFUNG | GEHEMMT | \`suspensionReason\`; \`date\` = suspension start |
| GEHEMMT | IN_PRUEFUNG | \`date\` = suspension end, the day the missing documents arrived (first and last day count as suspended); the days move the decision date if the suspension began while the period ran |
| IN_PRUEFUNG, RECHTSBEHELF | BESCHIEDEN | \`outcome\`, optional \`substantialDifferences\` (partial decisions; options by procedure: regulated ANPASSUNGSLEHRGANG, EIGNUNGSPRUEFUNG, KENNTNISPRUEFUNG — non-regulated ANPASSUNGSQUALIFIZIERUNG); \`date\` = decision |
| BEANTRAGT, UNVOLLSTAENDIG | BESCHIEDEN | formal rejection only: \`outcome\` ABLEHNUNG_FORMAL (§15(3) BQFG); no processing days |
| RECHTSBEHELF | BESCHIEDEN | or \`appealWithdrawn: true\` without an outcome: the original decision stands |
| BESCHIEDEN (outcome AUFLAGE_AUSGLEICHSMASSNAHME) | AUSGLEICH_LAUFEND | — |
| AUSGLEICH_LAUFEND | ABGESCHLOSSEN | \`compensationPassed\` → outcome GLEICHWERTIG_NACH_AUSGLEICH or KEINE_GLEICHWERTIGKEIT |
| BESCHIEDEN | ABGESCHLOSSEN | — |
| BESCHIEDEN | RECHTSBEHELF | \`date\` = appeal filed |
| any state before BESCHIEDEN | ZURUECKGENOMMEN, OHNE_BESCHEID_BEENDET | — (final) |

A ZEUGNISBEWERTUNG_ZAB case ends with ZAB_BESCHEINIGUNG only, and no other kind may (422). Any other
target answers 409 \`invalid-transition\` with \`allowedTargets\`. The answer is the updated case
with its recomputed \`receiptConfirmationDueOn\` and \`decisionDueOn\` and its new \`ETag\`; a repeat with the
same \`If-Match\` answers 412.
`.trim();

@ApiTags('Recognition cases')
@Controller('recognition-cases')
export class RecognitionCaseController {
  constructor(private readonly cases: RecognitionCaseService) {}

  @Post()
  @Idempotent('recognition-case')
  @Allow(Permission.RecognitionWrite)
  @ApiOperation({
    operationId: 'createRecognitionCase',
    summary: 'Open a recognition case for a client',
    description:
      'The case starts `IN_VORBEREITUNG`. The reference occupation’s title (and by default its `regulated` flag) ' +
      'is copied from the reference data; an unknown `kldb`, a qualification of another client, an unknown ' +
      'authority or a partner that is not a competent authority (ANERKENNUNGSSTELLE, KAMMER, ZAB), or a ' +
      '`followUpOf` that is not a partial decision of the same client answer 422. A client of ' +
      'another office answers 404, an erased client 409 `client-erased`.',
  })
  @ApiBody({
    type: CreateRecognitionCaseRequest,
    examples: {
      nursing: {
        summary: 'Regulated: nursing (PflBG)',
        value: {
          clientId: '6b1f0c8e-2d4a-4f7b-9e3c-5a8d1b2c4e6f',
          qualificationId: '9d2e4f6a-8b0c-4d1e-a3f5-7b9c1d3e5f70',
          kldb: '81302',
          legalBasis: 'PFLBG',
          procedureKind: 'BERUFSZULASSUNG',
          funding: ['ANERKENNUNGSZUSCHUSS'],
        },
      },
      followUp: {
        summary: 'Follow-up case after a partial decision',
        value: {
          clientId: '6b1f0c8e-2d4a-4f7b-9e3c-5a8d1b2c4e6f',
          kldb: '26112',
          regulated: false,
          legalBasis: 'BQFG',
          procedureKind: 'GLEICHWERTIGKEIT',
          followUpOf: '3c0e8f7a-51b2-4d8e-9a63-2f1b7c4d9e05',
        },
      },
    },
  })
  @CreatedResource(RecognitionCaseResponse)
  @ApiProblemResponses(400, 404, 409, 422)
  create(
    @Body() body: CreateRecognitionCaseRequest,
    @Caller() caller: WriteContext,
  ): Promise<RecognitionCaseResponse> {
    return this.cases.create(body, caller);
  }

  @Get()
  @Allow(Permission.RecognitionRead)
  @ApiOperation({
    operationId: 'listRecognitionCases',
    summary: 'List the recognition cases of your office',
    description:
      'Newest first; follow `nextCursor` until it is `null`. `overdue=true` lists the cases still `IN_PRUEFUNG` ' +
      '(or `GEHEMMT` after the period expired) after their decision date, `dueBefore` those whose decision is ' +
      'due before a day, `receiptConfirmationOverdue=true` those whose confirmation of receipt is missing — the ' +
      'follow-up lists of the office. Every client whose cases are shown is recorded in its access log.',
  })
  @ApiPageResponse(RecognitionCaseResponse)
  @ApiProblemResponses(400)
  list(
    @Query() query: RecognitionCaseListQuery,
    @Caller() caller: WriteContext,
  ): Promise<Page<RecognitionCaseResponse>> {
    return this.cases.list(query, caller);
  }

  @Get(':id')
  @ApiIdParam('recognition case')
  @Allow(Permission.RecognitionRead)
  @ApiOperation({
    operationId: 'getRecognitionCase',
    summary: 'Get a recognition case',
    description:
      'With its deadlines (`receiptConfirmationDueOn`, `decisionDueOn`), `overdue` as of today, `processingDays`, ' +
      'the substantial differences of the decision and the states a transition can reach (`allowedTransitions`).',
  })
  @VersionedResource(RecognitionCaseResponse)
  @ApiProblemResponses(400, 404)
  get(
    @Param('id', ParseUUIDPipe) id: string,
    @Caller() caller: WriteContext,
  ): Promise<RecognitionCaseResponse> {
    return this.cases.get(id, caller);
  }

  @Patch(':id')
  @ApiIfMatch()
  @ApiIdParam('recognition case')
  @Allow(Permission.RecognitionWrite)
  @ApiOperation({
    operationId: 'updateRecognitionCase',
    summary: 'Change the description of a recognition case',
    description:
      'Descriptive members only: the status, the outcome and the dates change through transitions, and sending ' +
      'them answers 400. Members left out stay; `null` empties an optional one. A new `kldb` copies its title ' +
      '(and its `regulated` flag unless sent); `fastTrack` recomputes the deadlines. A change that contradicts ' +
      'the decision (e.g. `regulated: false` after AUFLAGE_AUSGLEICHSMASSNAHME) answers 422.',
  })
  @ApiBody({
    type: UpdateRecognitionCaseRequest,
    examples: { fastTrack: { summary: 'The employer took the fast track', value: { fastTrack: true } } },
  })
  @VersionedResource(RecognitionCaseResponse)
  @ApiProblemResponses(400, 404, 409, 422)
  update(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateRecognitionCaseRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<RecognitionCaseResponse> {
    return this.cases.update(id, body, expectedVersion, caller);
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiIdParam('recognition case')
  @Allow(Permission.RecognitionWrite)
  @ApiOperation({
    operationId: 'transitionRecognitionCase',
    summary: 'Move a recognition case to its next state',
    description: TRANSITIONS_DESCRIPTION,
  })
  @ApiBody({
    type: TransitionRequest,
    examples: {
      filed: {
        summary: 'Application filed',
        value: {
          to: 'BEANTRAGT',
          date: '2026-01-12',
          authorityPartnerId: '0b6f3c1e-8a42-4d5e-9f17-6c2a8e4b1d90',
        },
      },
      complete: { summary: 'Documents complete', value: { to: 'IN_PRUEFUNG', date: '2026-01-31' } },
      suspended: {
        summary: 'Suspended for an authenticity check',
        value: { to: 'GEHEMMT', date: '2026-02-10', suspensionReason: 'ECHTHEITSPRUEFUNG' },
      },
      decided: {
        summary: 'Decision with a compensation measure',
        value: {
          to: 'BESCHIEDEN',
          date: '2026-04-28',
          outcome: 'AUFLAGE_AUSGLEICHSMASSNAHME',
          substantialDifferences: [
            {
              description: 'Pharmakologie und Notfallversorgung fehlen im Umfang der deutschen Ausbildung.',
              compensationOptions: ['KENNTNISPRUEFUNG', 'ANPASSUNGSLEHRGANG'],
            },
          ],
        },
      },
      passed: {
        summary: 'Compensation measure passed',
        value: { to: 'ABGESCHLOSSEN', date: '2026-11-20', compensationPassed: true },
      },
    },
  })
  @VersionedResource(RecognitionCaseResponse)
  @ApiProblemResponses(400, 404, 409, 422)
  transition(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: TransitionRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<RecognitionCaseResponse> {
    return this.cases.transition(id, body, expectedVersion, caller);
  }

  @Post(':id/extension')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiIdParam('recognition case')
  @Allow(Permission.RecognitionWrite)
  @ApiOperation({
    operationId: 'extendRecognitionCaseDeadline',
    summary: 'Record the authority’s extension of the decision period',
    description:
      'The authority may extend the period once, while it examines the complete documents (`IN_PRUEFUNG`): ' +
      '`extendedUntil` replaces the end of the period (later suspensions suspend it too). A second extension, or ' +
      'one in another state, answers 409 `conflict`. It must be notified (`date`) before the period ends — on ' +
      'or before `decisionDueOn`, else 422. `extendedUntil` must be after the current end; for a regulated ' +
      'profession with `euQualification` at most RECOGNITION_EU_EXTENSION_MAX_MONTHS (default 1) month after it ' +
      '— otherwise 422 with `latestAllowed`. Recorded in the history with the same state as `from` and `to`.',
  })
  @ApiBody({
    type: ExtensionRequest,
    examples: {
      extended: {
        summary: 'Extended by two weeks',
        value: { extendedUntil: '2026-05-14', date: '2026-04-20' },
      },
    },
  })
  @VersionedResource(RecognitionCaseResponse)
  @ApiProblemResponses(400, 404, 409, 422)
  extend(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ExtensionRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<RecognitionCaseResponse> {
    return this.cases.extend(id, body, expectedVersion, caller);
  }

  @Post(':id/receipt-confirmation')
  @HttpCode(200)
  @ApiIfMatch()
  @ApiIdParam('recognition case')
  @Allow(Permission.RecognitionWrite)
  @ApiOperation({
    operationId: 'confirmRecognitionCaseReceipt',
    summary: 'Record when the authority confirmed receipt of the application',
    description:
      'Once per case, after it was filed: `date` is the day the authority confirmed receipt (not before the ' +
      'submission, not in the future; it may be recorded after later steps). The case then shows ' +
      '`receiptConfirmedOn` and whether `receiptConfirmationDueOn` was met (`receiptConfirmedInTime`); until ' +
      'then `receiptConfirmationOverdue` (and the list filter of that name) tells the office to chase it. A ' +
      'case never filed, or one confirmed already, answers 409. Recorded in the history (`from` = `to`).',
  })
  @ApiBody({
    type: ReceiptConfirmationRequest,
    examples: { confirmed: { summary: 'Receipt confirmed', value: { date: '2026-01-28' } } },
  })
  @VersionedResource(RecognitionCaseResponse)
  @ApiProblemResponses(400, 404, 409, 422)
  confirmReceipt(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: ReceiptConfirmationRequest,
    @IfMatch() expectedVersion: number,
    @Caller() caller: WriteContext,
  ): Promise<RecognitionCaseResponse> {
    return this.cases.confirmReceipt(id, body, expectedVersion, caller);
  }

  @Get(':id/history')
  @ApiIdParam('recognition case')
  @Allow(Permission.RecognitionRead)
  @ApiOperation({
    operationId: 'listRecognitionCaseHistory',
    summary: 'The history of a recognition case',
    description:
      'Every step in the order it was recorded, oldest first: the creation (`from: null`), each transition and ' +
      'the extension (`from` = `to`), with its legal `date`, actor, codes (`payload`) and note.',
  })
  @ApiPageResponse(HistoryEntryResponse)
  @ApiProblemResponses(400, 404)
  history(
    @Param('id', ParseUUIDPipe) id: string,
    @Query() query: HistoryQuery,
    @Caller() caller: WriteContext,
  ): Promise<Page<HistoryEntryResponse>> {
    return this.cases.history(id, query, caller);
  }
}
