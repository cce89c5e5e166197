import { ProblemError, type FieldError } from '../common/errors/problem.error';
import type { ReferralStatus } from './referral-state-machine';

/** 422: well-formed members that contradict stored data; `errors[]` names them like a validation error. */
export class ReferralRuleError extends ProblemError {
  constructor(errors: FieldError[]) {
    super('unprocessable', errors.map((error) => `${error.pointer.slice(2)}: ${error.detail}`).join('; '), {
      extensions: { errors },
    });
  }
}

/** 422 `consent-missing`: no active consent covers the partner and these categories. */
export class ConsentMissingError extends ProblemError {
  constructor(partner: { id: string; type: string }, uncovered: string[]) {
    super(
      'consentMissing',
      `No active WEITERGABE_PARTNER consent of the client covers this partner (or its type ${partner.type}) ` +
        `together with ${uncovered.join(', ')}. Record the client's consent first, or share fewer categories.`,
      {
        extensions: {
          partnerId: partner.id,
          partnerType: partner.type,
          uncoveredCategories: uncovered,
          errors: [
            { pointer: '#/dataCategories', detail: `not covered by a consent: ${uncovered.join(', ')}` },
          ],
        },
      },
    );
  }
}

/** 409 `invalid-transition` with the targets the caller can reach. */
export class InvalidReferralTransitionError extends ProblemError {
  constructor(from: string, to: string, allowedTargets: ReferralStatus[], final: boolean) {
    const detail = final
      ? `A referral in ${from} cannot move to ${to}: ${from} is final.`
      : allowedTargets.length === 0
        ? `A referral in ${from} cannot move to ${to}; you cannot move it from ${from}.`
        : `A referral in ${from} cannot move to ${to}; it can move to ${allowedTargets.join(', ')}.`;
    super('invalidTransition', detail, { extensions: { allowedTargets } });
  }
}

export function referralNotFound(): ProblemError {
  return new ProblemError('notFound', 'No referral with this id in your scope.');
}
