import { Injectable } from '@nestjs/common';
import {
  CaseNextStepSourceProvider,
  type CaseNextStep,
  type CaseNextStepSource,
} from '../recognition/case-next-steps';
import { EnrolmentRepository } from './enrolment.repository';

/**
 * A recognition case in AUSGLEICH_LAUFEND whose linked enrolment was completed successfully may be
 * closed with GLEICHWERTIG_NACH_AUSGLEICH: the case lists that step; the adviser triggers it.
 */
@CaseNextStepSourceProvider()
@Injectable()
export class EnrolmentCaseSteps implements CaseNextStepSource {
  constructor(private readonly enrolments: EnrolmentRepository) {}

  async stepsFor(cases: readonly { id: string; status: string }[]): Promise<Map<string, CaseNextStep[]>> {
    const compensating = cases.filter((row) => row.status === 'AUSGLEICH_LAUFEND').map((row) => row.id);
    const steps = new Map<string, CaseNextStep[]>();
    if (compensating.length === 0) {
      return steps;
    }
    for (const completed of await this.enrolments.completedFor(compensating)) {
      steps.set(completed.recognitionCaseId, [
        ...(steps.get(completed.recognitionCaseId) ?? []),
        {
          to: 'ABGESCHLOSSEN',
          members: { compensationPassed: true },
          outcome: 'GLEICHWERTIG_NACH_AUSGLEICH',
          basis: { resourceType: 'enrolment', resourceId: completed.id },
        },
      ]);
    }
    return steps;
  }
}
