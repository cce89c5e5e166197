import { ProblemTypes, type ProblemKind, type ProblemType } from './problem-types';

export interface FieldError {
  /** JSON pointer to the offending member, as a URI fragment: `#/birthDate`, `#/nationalities/1`. */
  pointer: string;
  detail: string;
}

export interface ProblemOptions {
  /** Extra members of the problem object (RFC 9457 extension members). */
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * Base class of every error the services throw on purpose. Services never throw HTTP exceptions;
 * the problem filter maps these (and database errors) to problem+json in one place.
 * Feature modules derive named errors from it, e.g. `class InvalidTransitionError extends ProblemError`.
 */
export class ProblemError extends Error {
  readonly problem: ProblemType;

  constructor(
    kind: ProblemKind,
    readonly detail: string,
    readonly options: ProblemOptions = {},
  ) {
    super(detail);
    this.name = new.target.name;
    this.problem = ProblemTypes[kind];
  }
}

export class RequestValidationError extends ProblemError {
  constructor(readonly errors: FieldError[]) {
    super(
      'validation',
      errors.length === 1
        ? `${errors[0].pointer.slice(2) || 'The request'}: ${errors[0].detail}`
        : `${errors.length} fields are not valid; see errors[].`,
      { extensions: { errors } },
    );
  }
}
