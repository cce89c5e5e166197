import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ValidateCodeList, ValidateDate, ValidateEnum } from '../common/http/validate.decorators';
import { CASELOAD_DIMENSIONS, OUTCOME_DIMENSIONS, type Dimension } from './report-table';

/** `groupBy=office,month` and `groupBy=office&groupBy=month` both give a list. */
const CommaList = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0)
      : value,
  );

export class ReportQuery {
  @ValidateDate({
    description: 'First day of the period (inclusive), a calendar date in Germany.',
    example: '2026-01-01',
  })
  from!: string;

  @ValidateDate({
    description: 'Last day of the period (inclusive); not before `from`, less than 10 years after it.',
    example: '2026-12-31',
  })
  to!: string;

  @ValidateEnum({
    optional: true,
    values: ['json', 'csv', 'xlsx'],
    description:
      'The representation; overrides `Accept`. Without both: JSON. `csv`: UTF-8 with BOM; `xlsx`: an Excel workbook.',
    example: 'csv',
  })
  format?: 'json' | 'csv' | 'xlsx';

  @ValidateEnum({
    optional: true,
    values: ['de', 'en'],
    default: 'en',
    description:
      'Files only. `de`: German column headers, `;` between CSV fields and a decimal comma (Excel in Germany); `en`: column keys, `,` and a decimal point.',
    example: 'de',
  })
  locale?: 'de' | 'en';
}

export class CaseloadQuery extends ReportQuery {
  @CommaList()
  @ValidateCodeList({
    optional: true,
    values: CASELOAD_DIMENSIONS,
    description:
      'Groupings, combined (comma-separated or repeated). `kldbGroup` is the 2-digit KldB 2010 Berufshauptgruppe. Without: the totals only.',
    example: ['office', 'month'],
  })
  groupBy?: Dimension[];
}

export class RecognitionOutcomesQuery extends ReportQuery {
  @CommaList()
  @ValidateCodeList({
    optional: true,
    values: OUTCOME_DIMENSIONS,
    default: ['kldb', 'countryOfTraining'],
    description:
      'Groupings, combined (comma-separated or repeated). Default: reference occupation and country of training.',
    example: ['kldb', 'countryOfTraining'],
  })
  groupBy?: Dimension[];
}

export class EsfParticipantsQuery extends ReportQuery {}

// ---------------------------------------------------------------------------------------------
// The JSON answer

export class ReportPeriodResponse {
  @ApiProperty({ format: 'date', example: '2026-01-01' })
  from!: string;

  @ApiProperty({ format: 'date', example: '2026-12-31' })
  to!: string;
}

export class ReportScopeResponse {
  @ApiProperty({
    enum: ['ALL', 'NETWORK', 'OFFICE'],
    description:
      'Administrators: every office; coordinators: the offices of their network; advisers: their office.',
  })
  level!: string;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The network or office; `null` for ALL.',
  })
  id!: string | null;

  @ApiProperty({ example: 'Netzwerk IQ Nord' })
  label!: string;
}

export class ReportSuppressionResponse {
  @ApiProperty({
    description:
      'Whether small counts were withheld (coordinators); unsuppressed figures are for internal use.',
  })
  applied!: boolean;

  @ApiProperty({ example: 5, description: 'REPORT_MIN_CELL: counts from 1 to minCell − 1 are withheld.' })
  minCell!: number;

  @ApiProperty()
  rule!: string;
}

export class ReportColumnResponse {
  @ApiProperty({ example: 'clientsCounselled' })
  key!: string;

  @ApiProperty({
    enum: ['count', 'rate', 'days'],
    description: '`rate`: a share from 0 to 1; `days`: calendar days.',
  })
  kind!: string;

  @ApiProperty({ example: 'Beratene Personen' })
  label!: string;

  @ApiProperty()
  description!: string;
}

export class ReportGroupColumnResponse {
  @ApiProperty({ example: 'office' })
  key!: string;

  @ApiProperty({ example: 'Beratungsstelle' })
  label!: string;
}

export class ReportCellResponse {
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 42,
    description: '`null` when withheld, or for a rate or duration without any case to compute it from.',
  })
  value!: number | null;

  @ApiProperty({ description: 'Withheld by disclosure control.' })
  suppressed!: boolean;
}

export class ReportGroupValueResponse {
  @ApiProperty({
    type: String,
    nullable: true,
    example: '2026-03',
    description:
      'Code or id of the group (`YYYY-MM`, `YYYY-Qn`, a uuid, a KldB code, an ISO country code, `true`/`false` …); `null`: not stated or not applicable.',
  })
  id!: string | null;

  @ApiProperty({ example: 'März 2026' })
  label!: string;
}

export class ReportRowResponse {
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/ReportGroupValueResponse' },
    description: "The row's group, by grouping key.",
    example: {
      office: { id: '0b6f1c52-3c1e-4e55-9a47-2f0f6f7c5a10', label: 'Beratungsstelle Kiel' },
      month: { id: '2026-03', label: 'März 2026' },
    },
  })
  group!: Record<string, ReportGroupValueResponse>;

  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/ReportCellResponse' },
    description: 'One cell per column key.',
    example: {
      clientsCounselled: { value: 42, suppressed: false },
      newClients: { value: null, suppressed: true },
    },
  })
  cells!: Record<string, ReportCellResponse>;
}

export class ReportResponse {
  @ApiProperty({ enum: ['caseload', 'esf-participants', 'recognition-outcomes'] })
  report!: string;

  @ApiProperty({ example: 'Fallzahlen der Beratung' })
  title!: string;

  @ApiProperty({ type: ReportPeriodResponse })
  period!: ReportPeriodResponse;

  @ApiProperty({ type: [String], example: ['office', 'month'] })
  groupBy!: string[];

  @ApiProperty({ type: ReportScopeResponse })
  scope!: ReportScopeResponse;

  @ApiProperty({ type: ReportSuppressionResponse })
  suppression!: ReportSuppressionResponse;

  @ApiProperty({
    format: 'date-time',
    description:
      'When the rollups the figures come from were rebuilt (REPORTS_REFRESH_CRON): later changes are not in them yet.',
  })
  dataAsOf!: string;

  @ApiProperty({ format: 'date-time' })
  generatedAt!: string;

  @ApiProperty({ type: [ReportGroupColumnResponse] })
  groupColumns!: ReportGroupColumnResponse[];

  @ApiProperty({ type: [ReportColumnResponse] })
  columns!: ReportColumnResponse[];

  @ApiProperty({ type: [ReportRowResponse], description: 'Groups without any count are left out.' })
  rows!: ReportRowResponse[];

  @ApiPropertyOptional({
    type: ReportRowResponse,
    nullable: true,
    description:
      'The whole period and scope (its groups labelled "Insgesamt"); `null` in the ESF+ table, whose first row is the total.',
  })
  totals!: ReportRowResponse | null;
}
