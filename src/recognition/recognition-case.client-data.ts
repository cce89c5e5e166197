import { Injectable } from '@nestjs/common';
import {
  ClientDataPartProvider,
  type ClientDataPart,
  type PartErasure,
  type TimelineEntry,
} from '../clients/client-data-part';
import { QualificationService } from '../clients/qualification.service';
import { Clock } from '../common/time/clock';
import { EU_EEA_CH } from '../reference-data/countries';
import { euCapApplies } from './deadlines';
import {
  toHistoryEntryResponse,
  toRecognitionCaseResponse,
  type RecognitionCaseExport,
} from './recognition-case.dto';
import { RecognitionCaseRepository } from './recognition-case.repository';

/** The client's recognition cases in the Art. 15 export, the Art. 17 erasure and the timeline. */
@ClientDataPartProvider()
@Injectable()
export class RecognitionCaseClientData implements ClientDataPart {
  readonly name = 'recognitionCases';

  constructor(
    private readonly repository: RecognitionCaseRepository,
    private readonly qualifications: QualificationService,
    private readonly clock: Clock,
  ) {}

  /** Every case with its differences and its complete history, notes included. */
  async exportFor(clientId: string): Promise<RecognitionCaseExport[]> {
    const cases = await this.repository.allOf(clientId);
    const differences = await this.repository.differencesOf(cases.map((row) => row.id));
    const history = await this.repository.historyOfClient(clientId);
    const countries = await this.qualifications.countriesOf(
      cases.flatMap((row) => (row.qualificationId === null ? [] : [row.qualificationId])),
    );
    const now = this.clock.today();
    return cases.map((row) => ({
      ...toRecognitionCaseResponse(
        row,
        differences.filter((difference) => difference.caseId === row.id),
        now,
        euCapApplies(row.recognisedInEuEeaCh, countries.get(row.qualificationId ?? '')?.country, EU_EEA_CH),
      ),
      history: history.filter((entry) => entry.caseId === row.id).map(toHistoryEntryResponse),
    }));
  }

  /** Notes and descriptions are free text; codes, dates and figures are statistics and stay. */
  async eraseFor(clientId: string): Promise<PartErasure> {
    return { rowsErased: await this.repository.eraseFreeTexts(clientId), recipients: [] };
  }

  /**
   * One entry per transition, per extension and per confirmation of receipt, dated with its legal
   * date; never a note.
   */
  async timelineFor(clientId: string): Promise<TimelineEntry[]> {
    return (await this.repository.timelineOf(clientId)).map((row) => {
      const common = {
        date: row.occurredOn,
        recordedAt: row.recordedAt,
        resourceType: 'recognition-case',
        resourceId: row.caseId,
      };
      if (row.fromStatus === row.toStatus && row.receiptConfirmedOn !== null) {
        return {
          ...common,
          type: 'recognition-case.receipt-confirmation',
          details: { caseId: row.caseId, status: row.toStatus, receiptConfirmedOn: row.receiptConfirmedOn },
        };
      }
      if (row.fromStatus === row.toStatus) {
        return {
          ...common,
          type: 'recognition-case.extension',
          details: { caseId: row.caseId, status: row.toStatus, extendedUntil: row.extendedUntil },
        };
      }
      return {
        ...common,
        type: 'recognition-case.transition',
        details: {
          caseId: row.caseId,
          from: row.fromStatus,
          to: row.toStatus,
          ...(row.outcome === null ? {} : { outcome: row.outcome }),
          ...(row.appealWithdrawn ? { appealWithdrawn: true } : {}),
        },
      };
    });
  }
}
