import { ProblemError, type FieldError } from '../common/errors/problem.error';
import type { RecognitionStatus } from './recognition-state-machine';

/** 409 `invalid-transition`: the requested state cannot be reached from the current one. */
export class InvalidTransitionError extends ProblemError {
  constructor(from: string, to: string, allowedTargets: RecognitionStatus[]) {
    super(
      'invalidTransition',
      allowedTargets.length === 0
        ? `A case in ${from} cannot move to ${to}: ${from} is final.`
        : `A case in ${from} cannot move to ${to}; it can move to ${allowedTargets.join(', ')}.`,
      { extensions: { allowedTargets } },
    );
  }
}

/** 422: well-formed members that contradict stored data; `errors[]` names them like a validation error. */
export class CaseRuleError extends ProblemError {
  constructor(errors: FieldError[], extensions: Record<string, unknown> = {}) {
    super('unprocessable', errors.map((error) => `${error.pointer.slice(2)}: ${error.detail}`).join('; '), {
      extensions: { errors, ...extensions },
    });
  }
}

export function caseNotFound(): ProblemError {
  return new ProblemError('notFound', 'No recognition case with this id in your office.');
}
