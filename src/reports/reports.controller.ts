import { Controller, Get, Headers, Query, Res, applyDecorators } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { WriteContext } from '../audit/write-context';
import { Allow } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ProblemError } from '../common/errors/problem.error';
import { ApiProblemResponses } from '../common/http/api-problem-responses.decorator';
import { Caller } from '../common/http/caller.decorator';
import { MEDIA_TYPES, fileName, toCsv, toJson, toXlsx } from './report-render';
import {
  CaseloadQuery,
  EsfParticipantsQuery,
  RecognitionOutcomesQuery,
  ReportCellResponse,
  ReportGroupValueResponse,
  ReportResponse,
  type ReportQuery,
} from './reports.dto';
import {
  ReportsService,
  type ReportDocument,
  type ReportFormat,
  type ReportRequest,
} from './reports.service';

/** The three representations of every report, documented once. */
function ApiReportResponses(example: string): MethodDecorator {
  return applyDecorators(
    ApiProduces(MEDIA_TYPES.json, MEDIA_TYPES.csv, MEDIA_TYPES.xlsx),
    ApiOkResponse({
      description:
        'The report. JSON by default; `Accept: text/csv` or the XLSX media type (or `?format=csv|xlsx`) returns the same table as a download (`Content-Disposition: attachment`).',
      content: {
        [MEDIA_TYPES.json]: { schema: { $ref: getSchemaPath(ReportResponse) } },
        [MEDIA_TYPES.csv]: {
          schema: { type: 'string' },
          example,
        },
        [MEDIA_TYPES.xlsx]: { schema: { type: 'string', format: 'binary' } },
      },
    }),
    ApiProblemResponses(400, 406, 503),
  );
}

@ApiTags('Reports')
@ApiExtraModels(ReportResponse, ReportGroupValueResponse, ReportCellResponse)
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('caseload')
  @Allow(Permission.ReportRead)
  @ApiOperation({
    operationId: 'getCaseloadReport',
    summary: 'Caseload: clients, consultations, recognition cases, enrolments, referrals',
    description:
      'The figures networks report, for a period of whole days, grouped by any combination of network, office, ' +
      'month, quarter, reference occupation (KldB 2010, or its 2-digit Berufshauptgruppe), country of training, ' +
      'gender, residence status, regulated profession and fast track, with a totals row. Coordinators get their ' +
      'network with small counts withheld (REPORT_MIN_CELL); administrators every office and advisers their own, ' +
      'unsuppressed. Read from rollups (`dataAsOf`), every read audited. Definitions: docs/reports.md.',
  })
  @ApiReportResponses(
    '\uFEFFoffice,officeLabel,clientsCounselled,newClients,…\r\n0b6f…,Beratungsstelle Kiel,42,17,…\r\n,Insgesamt,42,17,…\r\n',
  )
  async caseload(
    @Query() query: CaseloadQuery,
    @Headers('accept') accept: string | undefined,
    @Caller() caller: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const request = toRequest(query, accept, query.groupBy);
    return send(reply, request, await this.reports.caseload(request, caller));
  }

  @Get('esf-participants')
  @Allow(Permission.ReportRead)
  @ApiOperation({
    operationId: 'getEsfParticipantsReport',
    summary: 'ESF+ common output indicators by gender',
    description:
      'Participants who entered in the period — a client counts as a participant from their first consultation ' +
      '(Erstberatung) — by the indicators of Regulation (EU) 2021/1057 Annex I 1.1 the data supports (employment ' +
      'situation, age bands, ISCED bands, total) and third-country nationals (1.2), each for women, men, ' +
      'non-binary persons and persons without a stated gender. Definitions: docs/reports.md.',
  })
  @ApiReportResponses(
    '\uFEFFindicator,indicatorLabel,women,men,nonBinary,notStated,total\r\nparticipants,…\r\n',
  )
  async esfParticipants(
    @Query() query: EsfParticipantsQuery,
    @Headers('accept') accept: string | undefined,
    @Caller() caller: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const request = toRequest(query, accept, undefined);
    return send(reply, request, await this.reports.esfParticipants(request, caller));
  }

  @Get('recognition-outcomes')
  @Allow(Permission.ReportRead)
  @ApiOperation({
    operationId: 'getRecognitionOutcomesReport',
    summary: 'First decisions by outcome, as in the §17 BQFG statistic',
    description:
      'Recognition cases first decided in the period, in the outcome groups of the official statistic (full, ' +
      'partial equivalence, compensation measure imposed, no equivalence; formal rejections and ZAB statements ' +
      'apart), by reference occupation and country of training (or another grouping), with the median ' +
      'processing time — to put beside the BIBB/Destatis figures.',
  })
  @ApiReportResponses(
    '\uFEFFkldb,kldbLabel,countryOfTraining,countryOfTrainingLabel,decisions,fullEquivalence,…\r\n81302,Gesundheits- und Krankenpfleger/in,PH,Philippinen,12,…\r\n',
  )
  async recognitionOutcomes(
    @Query() query: RecognitionOutcomesQuery,
    @Headers('accept') accept: string | undefined,
    @Caller() caller: WriteContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const request = toRequest(query, accept, query.groupBy);
    return send(reply, request, await this.reports.recognitionOutcomes(request, caller));
  }
}

function toRequest(
  query: ReportQuery,
  accept: string | undefined,
  groupBy: ReportRequest['groupBy'],
): ReportRequest {
  return {
    from: query.from,
    to: query.to,
    groupBy,
    format: query.format ?? negotiate(accept),
    locale: query.locale ?? 'en',
  };
}

/**
 * The representation `Accept` asks for: the first listed (by quality) that a report has. No
 * `Accept`, `*\/*` or `application/*`: JSON. Nothing a report has: 406.
 */
export function negotiate(accept: string | undefined): ReportFormat {
  if (!accept || accept.trim() === '') {
    return 'json';
  }
  const wanted = accept
    .split(',')
    .map((part, position) => {
      const [type, ...parameters] = part.split(';').map((piece) => piece.trim().toLowerCase());
      const quality = parameters.find((parameter) => parameter.startsWith('q='));
      return { type, q: quality ? Number(quality.slice(2)) : 1, position };
    })
    .filter((entry) => entry.q > 0)
    .sort((left, right) => right.q - left.q || left.position - right.position);
  for (const { type } of wanted) {
    if (type === MEDIA_TYPES.json || type === '*/*' || type === 'application/*') {
      return 'json';
    }
    if (type === MEDIA_TYPES.csv || type === 'text/*') {
      return 'csv';
    }
    if (type === MEDIA_TYPES.xlsx) {
      return 'xlsx';
    }
  }
  throw new ProblemError(
    'notAcceptable',
    `A report is available as ${Object.values(MEDIA_TYPES).join(', ')} (or ?format=json|csv|xlsx).`,
  );
}

async function send(reply: FastifyReply, request: ReportRequest, document: ReportDocument): Promise<Buffer> {
  reply.header('cache-control', 'no-store');
  reply.header('vary', 'Accept');
  if (request.format === 'json') {
    reply.header('content-type', `${MEDIA_TYPES.json}; charset=utf-8`);
    return toJson(document);
  }
  reply.header('content-disposition', `attachment; filename="${fileName(document, request.format)}"`);
  if (request.format === 'csv') {
    reply.header('content-type', `${MEDIA_TYPES.csv}; charset=utf-8; header=present`);
    return toCsv(document, request.locale);
  }
  reply.header('content-type', MEDIA_TYPES.xlsx);
  return toXlsx(document, request.locale);
}
