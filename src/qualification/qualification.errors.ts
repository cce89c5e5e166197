import { ProblemError, type FieldError } from '../common/errors/problem.error';
import type { EnrolmentStatus } from './enrolment-state-machine';

/** 422: well-formed members that contradict stored data; `errors[]` names them like a validation error. */
export class QualificationRuleError extends ProblemError {
  constructor(errors: FieldError[]) {
    super('unprocessable', errors.map((error) => `${error.pointer.slice(2)}: ${error.detail}`).join('; '), {
      extensions: { errors },
    });
  }
}

/** 409 `invalid-transition` with the targets that can be reached. */
export class InvalidEnrolmentTransitionError extends ProblemError {
  constructor(from: string, to: string, allowedTargets: EnrolmentStatus[], automatic: boolean) {
    const detail = automatic
      ? `An enrolment on the waiting list gets its seat automatically when one frees up (oldest first); ` +
        `it can only move to ${allowedTargets.join(', ')}.`
      : allowedTargets.length === 0
        ? `An enrolment in ${from} cannot move to ${to}: ${from} is final.`
        : `An enrolment in ${from} cannot move to ${to}; it can move to ${allowedTargets.join(', ')}.`;
    super('invalidTransition', detail, { extensions: { allowedTargets } });
  }
}

export function offerNotFound(): ProblemError {
  return new ProblemError('notFound', 'No qualification offer with this id.');
}

export function offerNotFoundInNetwork(): ProblemError {
  return new ProblemError('notFound', 'No qualification offer with this id in your network.');
}

export function enrolmentNotFound(): ProblemError {
  return new ProblemError('notFound', 'No enrolment with this id in your office.');
}
