import { Injectable } from '@nestjs/common';
import {
  ClientDataPartProvider,
  type ClientDataPart,
  type PartErasure,
  type TimelineEntry,
} from '../clients/client-data-part';
import { Clock } from '../common/time/clock';
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
    private readonly clock: Clock,
  ) {}

  /** Every case with its differences and its complete history, notes included. */
  async exportFor(clientId: string): Promise<RecognitionCaseExport[]> {
    const cases = await this.repository.allOf(clientId);
    const differences = await this.repository.differencesOf(cases.map((row) => row.id));
    const history = await this.repository.historyOfClient(clientId);
    const now = this.clock.today();
    return cases.map((row) => ({
      ...toRecognitionCaseResponse(
        row,
        differences.filter((difference) => difference.caseId === row.id),
        now,
      ),
      history: history.filter((entry) => entry.caseId === row.id).map(toHistoryEntryResponse),
    }));
  }

  /** Notes and descriptions are free text; codes, dates and figures are statistics and stay. */
  async eraseFor(clientId: string): Promise<PartErasure> {
    return { rowsErased: await this.repository.eraseFreeTexts(clientId), recipients: [] };
  }

  /** One entry per transition (and per extension), dated with its legal date; never a note. */
  async timelineFor(clientId: string): Promise<TimelineEntry[]> {
    return (await this.repository.timelineOf(clientId)).map((row) => {
      const extension = row.fromStatus === row.toStatus;
      return {
        date: row.occurredOn,
        recordedAt: row.recordedAt,
        type: extension ? 'recognition-case.extension' : 'recognition-case.transition',
        resourceType: 'recognition-case',
        resourceId: row.caseId,
        details: extension
          ? { caseId: row.caseId, status: row.toStatus, extendedUntil: row.extendedUntil }
          : {
              caseId: row.caseId,
              from: row.fromStatus,
              to: row.toStatus,
              ...(row.outcome === null ? {} : { outcome: row.outcome }),
            },
      };
    });
  }
}
