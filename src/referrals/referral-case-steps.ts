import { Injectable } from '@nestjs/common';
import {
  CaseNextStepSourceProvider,
  type CaseNextStep,
  type CaseNextStepSource,
} from '../recognition/case-next-steps';
import { ReferralRepository } from './referral.repository';

/** The case states from which a decision leads to BESCHIEDEN (formal rejection, decision, appeal decided). */
const DECIDABLE = ['BEANTRAGT', 'UNVOLLSTAENDIG', 'IN_PRUEFUNG', 'RECHTSBEHELF'];

/**
 * A completed referral whose authority attached its decision proposes the decision on the linked
 * case: BESCHIEDEN with the outcome and date. The adviser applies it with
 * `POST /referrals/{id}/apply-decision` (or the usual transition).
 */
@CaseNextStepSourceProvider()
@Injectable()
export class ReferralCaseSteps implements CaseNextStepSource {
  constructor(private readonly referrals: ReferralRepository) {}

  async stepsFor(cases: readonly { id: string; status: string }[]): Promise<Map<string, CaseNextStep[]>> {
    const open = cases.filter((row) => DECIDABLE.includes(row.status)).map((row) => row.id);
    const steps = new Map<string, CaseNextStep[]>();
    if (open.length === 0) {
      return steps;
    }
    for (const referral of await this.referrals.decisionsFor(open)) {
      steps.set(referral.recognitionCaseId, [
        ...(steps.get(referral.recognitionCaseId) ?? []),
        {
          to: 'BESCHIEDEN',
          members: { date: referral.decision.decidedOn, outcome: referral.decision.outcome },
          outcome: referral.decision.outcome,
          basis: { resourceType: 'referral', resourceId: referral.id },
        },
      ]);
    }
    return steps;
  }
}
